import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { DB } from '../../src/lib/server/db';
import {
	assessmentAttempt,
	assignment,
	auditEvent,
	certificate,
	completion,
	groupMember,
	membership,
	moduleProgress,
	orgGroup,
	rollcallAttendance,
	rollcallCredit,
	user
} from '../../src/lib/server/db/schema';
import { addMembership, createOrganization } from '../../src/lib/server/orgs/organizations';
import { recordModuleComplete } from '../../src/lib/server/learning/progress';
import { CODE_ALPHABET, newJoinCode, normalizeCode } from '../../src/lib/server/rollcall/code';
import { presenterSteps } from '../../src/lib/server/rollcall/briefing';
import { rosterCsv } from '../../src/lib/server/rollcall/csv';
import {
	addAttendee,
	assignMakeUp,
	closeSession,
	CODE_LIFETIME_MS,
	joinByCode,
	listAttendees,
	listMakeUps,
	removeAttendee,
	startSession
} from '../../src/lib/server/rollcall/sessions';
import { createJoinThrottle, GUESSES_PER_ACCOUNT } from '../../src/lib/server/rollcall/throttle';
import { listRollcallAttendance } from '../../src/lib/server/rollcall/transcript';
import { myRequirements } from '../../src/lib/server/training/learner';
import { buildTranscript } from '../../src/lib/server/training/transcript';
import { renderTranscriptPdf } from '../../src/lib/server/training/transcript-pdf';
import { catalog } from '../fixtures/courses';
import { makeUser, testDb } from '../fixtures/db';

const rollCall = catalog.bySlug.get('roll-call')!;
const firstContact = rollCall.modules.find((m) => m.slug === 'first-contact')!;

let n = 0;
/** Officers without a password hash to compute: the tests need many of them. */
function officers(db: DB, orgId: number, count: number, groupId?: number) {
	const rows = [];
	for (let i = 0; i < count; i++) {
		n += 1;
		const id = db
			.insert(user)
			.values({ email: `officer${n}@rollcall.test`, name: `Officer ${n}`, passwordHash: 'x' })
			.returning({ id: user.id })
			.get().id;
		const membershipId = addMembership(db, {
			orgId,
			userId: id,
			role: 'learner',
			employeeId: `B-${n}`
		});
		if (groupId) db.insert(groupMember).values({ groupId, membershipId }).run();
		rows.push({ id, membershipId });
	}
	return rows;
}

async function setup() {
	const db = testDb();
	const root = await makeUser(db, { isInstanceAdmin: true });
	const sergeant = await makeUser(db, { name: 'Sgt. Diaz' });
	const org = (slug: string, email: string) => {
		const made = createOrganization(
			db,
			{ name: slug, slug, kind: 'department', timeZone: 'UTC', firstAdmin: { email } },
			{ actorId: root.id }
		);
		if (!made.ok) throw new Error('org');
		return made.orgId;
	};
	const orgId = org('riverside', sergeant.email);
	const otherAdmin = await makeUser(db);
	const otherOrgId = org('elsewhere', otherAdmin.email);
	const shift = db
		.insert(orgGroup)
		.values({ orgId, name: 'Patrol A', kind: 'shift' })
		.returning({ id: orgGroup.id })
		.get().id;
	const start = (at = new Date()) => {
		const s = startSession(db, catalog, {
			orgId,
			courseSlug: 'roll-call',
			moduleSlug: 'first-contact',
			groupId: shift,
			actor: { userId: sergeant.id },
			now: at
		});
		if (!s.ok) throw new Error(s.message);
		return s;
	};
	const close = (sessionId: number, at = new Date()) =>
		closeSession(db, catalog, {
			orgId,
			sessionId,
			actor: { userId: sergeant.id },
			instanceName: 'Muster',
			now: at
		});
	return { db, sergeant, orgId, otherOrgId, shift, start, close };
}

const progressOf = (db: DB, userId: number) =>
	db
		.select()
		.from(moduleProgress)
		.where(and(eq(moduleProgress.userId, userId), eq(moduleProgress.moduleSlug, 'first-contact')))
		.all();

describe('join codes', () => {
	it('are six characters without look-alikes, and typed codes forgive case and spaces', () => {
		for (let i = 0; i < 200; i++) {
			const code = newJoinCode();
			expect(code).toMatch(/^[A-Z2-9]{6}$/);
			expect(code).not.toMatch(/[01OIL]/);
		}
		expect(CODE_ALPHABET).not.toMatch(/[01OIL]/);
		expect(normalizeCode(' k7p 4qx ')).toBe('K7P4QX');
		expect(normalizeCode('K7P-4QX')).toBe('K7P4QX');
		expect(normalizeCode('K7P4Q0')).toBeNull();
		expect(normalizeCode('K7P4Q')).toBeNull();
	});
});

describe('roll-call sessions', () => {
	it('an officer joins with the code typed in lower case with a space; joining twice records once', async () => {
		const { db, orgId, start } = await setup();
		const [a] = officers(db, orgId, 1);
		const s = start();
		const typed = `${s.code.slice(0, 3).toLowerCase()} ${s.code.slice(3).toLowerCase()}`;
		const first = joinByCode(db, null, { code: typed, userId: a!.id, ip: '10.0.0.1' });
		const second = joinByCode(db, null, { code: s.code, userId: a!.id, ip: '10.0.0.1' });
		expect(first).toMatchObject({ ok: true, recorded: true, sessionId: s.sessionId });
		expect(second).toMatchObject({ ok: true, recorded: false });
		expect(listAttendees(db, s.sessionId).map((r) => r.userId)).toEqual([a!.id]);
	});

	it('a member of another organization, or an inactive member, cannot join', async () => {
		const { db, orgId, otherOrgId, start } = await setup();
		const [outsider] = officers(db, otherOrgId, 1);
		const [former] = officers(db, orgId, 1);
		db.update(membership)
			.set({ active: false })
			.where(eq(membership.id, former!.membershipId))
			.run();
		const s = start();
		expect(joinByCode(db, null, { code: s.code, userId: outsider!.id, ip: 'x' })).toMatchObject({
			ok: false,
			reason: 'not_member'
		});
		expect(joinByCode(db, null, { code: s.code, userId: former!.id, ip: 'x' })).toMatchObject({
			ok: false,
			reason: 'not_member'
		});
		expect(listAttendees(db, s.sessionId)).toEqual([]);
	});

	it('a closed code, or one two hours old, is refused', async () => {
		const { db, orgId, start, close } = await setup();
		const [a, b] = officers(db, orgId, 2);
		const t0 = new Date('2026-03-14T07:00:00Z');
		const old = start(t0);
		const justBefore = new Date(t0.getTime() + CODE_LIFETIME_MS - 1000);
		expect(
			joinByCode(db, null, { code: old.code, userId: a!.id, ip: 'x', now: justBefore }).ok
		).toBe(true);
		const after = new Date(t0.getTime() + CODE_LIFETIME_MS);
		expect(
			joinByCode(db, null, { code: old.code, userId: b!.id, ip: 'x', now: after })
		).toMatchObject({ ok: false, reason: 'expired' });
		const s = start();
		close(s.sessionId);
		expect(joinByCode(db, null, { code: s.code, userId: b!.id, ip: 'x' })).toMatchObject({
			ok: false,
			reason: 'closed'
		});
	});

	it('wrong codes are throttled per account and per address; right codes are not counted', async () => {
		const { db, orgId, start } = await setup();
		const [a, b] = officers(db, orgId, 2);
		const s = start();
		const throttle = createJoinThrottle();
		const wrong = s.code === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA';
		for (let i = 0; i < GUESSES_PER_ACCOUNT; i++)
			expect(
				joinByCode(db, throttle, { code: wrong, userId: a!.id, ip: '10.0.0.1' })
			).toMatchObject({
				reason: 'not_found'
			});
		// Now even the right code waits: the account has spent its guesses.
		expect(joinByCode(db, throttle, { code: s.code, userId: a!.id, ip: '10.0.0.2' })).toMatchObject(
			{
				ok: false,
				reason: 'throttled'
			}
		);
		// Another officer at the same address is not held back by one account's guesses...
		expect(joinByCode(db, throttle, { code: s.code, userId: b!.id, ip: '10.0.0.1' }).ok).toBe(true);
		// ...but an address that guesses for many accounts is.
		const many = officers(db, orgId, 30);
		for (const o of many) joinByCode(db, throttle, { code: wrong, userId: o.id, ip: '10.9.9.9' });
		const [late] = officers(db, orgId, 1);
		expect(
			joinByCode(db, throttle, { code: s.code, userId: late!.id, ip: '10.9.9.9' })
		).toMatchObject({ ok: false, reason: 'throttled' });
		// Fifty right joins from one address (a room behind one NAT) all pass.
		const room = officers(db, orgId, 50);
		for (const o of room)
			expect(joinByCode(db, throttle, { code: s.code, userId: o.id, ip: '10.5.5.5' }).ok).toBe(
				true
			);
	});

	it('50 officers joining at the same moment (each posting twice) are recorded exactly once each', async () => {
		const { db, orgId, start } = await setup();
		const room = officers(db, orgId, 50);
		const s = start();
		const tick = () => new Promise((r) => setImmediate(r));
		const results = await Promise.all(
			[...room, ...room].map(async (o) => {
				await tick();
				return joinByCode(db, createJoinThrottle(), { code: s.code, userId: o.id, ip: '10.0.0.9' });
			})
		);
		expect(results.every((r) => r.ok)).toBe(true);
		expect(results.filter((r) => r.ok && r.recorded)).toHaveLength(50);
		const rows = db
			.select()
			.from(rollcallAttendance)
			.where(eq(rollcallAttendance.sessionId, s.sessionId))
			.all();
		expect(rows).toHaveLength(50);
		expect(new Set(rows.map((r) => r.userId)).size).toBe(50);
	});

	it('closing records attendance, the module done at this session, and the credit; twice records once', async () => {
		const { db, orgId, sergeant, start, close } = await setup();
		const [a, b] = officers(db, orgId, 2);
		const s = start();
		joinByCode(db, null, { code: s.code, userId: a!.id, ip: 'x' });
		expect(addAttendee(db, orgId, s.sessionId, b!.membershipId, { userId: sergeant.id })).toEqual({
			ok: true,
			changed: true
		});
		const first = close(s.sessionId);
		const second = close(s.sessionId);
		expect(first).toMatchObject({ ok: true, alreadyClosed: false, recorded: 2 });
		expect(second).toMatchObject({ ok: true, alreadyClosed: true, recorded: 0 });
		for (const o of [a!, b!]) {
			const p = progressOf(db, o.id);
			expect(p).toHaveLength(1);
			expect(p[0]!.rollcallSessionId).toBe(s.sessionId);
		}
		const credits = db
			.select()
			.from(rollcallCredit)
			.where(eq(rollcallCredit.sessionId, s.sessionId))
			.all();
		expect(credits.map((c) => c.creditMinutes)).toEqual([
			firstContact.minutes,
			firstContact.minutes
		]);
		const lines = listRollcallAttendance(db, catalog, b!.id);
		expect(lines).toHaveLength(1);
		expect(lines[0]!.addedBySupervisor).toBe(true);
		expect(lines[0]!.line).toMatch(
			new RegExp(`^roll-call, \\d{1,2} \\w+, led by Sgt\\. Diaz, ${firstContact.minutes} minutes$`)
		);
		const actions = db
			.select({ action: auditEvent.action })
			.from(auditEvent)
			.all()
			.map((r) => r.action)
			.filter((a) => a.startsWith('rollcall.'));
		expect(actions).toEqual(['rollcall.start', 'rollcall.add', 'rollcall.close']);
	});

	it('an attendee removed before closing gets no completion, and the removal is kept', async () => {
		const { db, orgId, sergeant, start, close } = await setup();
		const [a, b] = officers(db, orgId, 2);
		const s = start();
		joinByCode(db, null, { code: s.code, userId: a!.id, ip: 'x' });
		joinByCode(db, null, { code: s.code, userId: b!.id, ip: 'x' });
		expect(
			removeAttendee(db, orgId, s.sessionId, b!.membershipId, { userId: sergeant.id })
		).toEqual({
			ok: true,
			changed: true
		});
		close(s.sessionId);
		expect(progressOf(db, a!.id)).toHaveLength(1);
		expect(progressOf(db, b!.id)).toHaveLength(0);
		expect(listRollcallAttendance(db, catalog, b!.id)).toEqual([]);
		const rows = db
			.select()
			.from(rollcallAttendance)
			.where(eq(rollcallAttendance.userId, b!.id))
			.all();
		expect(rows).toHaveLength(1);
		expect(rows[0]!.removedBy).toBe(sergeant.id);
		expect(
			db.select().from(auditEvent).where(eq(auditEvent.action, 'rollcall.remove')).all()
		).toHaveLength(1);
	});

	it('another organization’s supervisor cannot add to, remove from or close the session', async () => {
		const { db, orgId, otherOrgId, sergeant, start } = await setup();
		const [a] = officers(db, orgId, 1);
		const s = start();
		expect(
			addAttendee(db, otherOrgId, s.sessionId, a!.membershipId, { userId: sergeant.id })
		).toEqual({ ok: false, reason: 'not_found' });
		expect(
			closeSession(db, catalog, {
				orgId: otherOrgId,
				sessionId: s.sessionId,
				actor: { userId: sergeant.id },
				instanceName: 'Muster'
			})
		).toEqual({ ok: false, reason: 'not_found' });
		const [outsider] = officers(db, otherOrgId, 1);
		expect(
			addAttendee(db, orgId, s.sessionId, outsider!.membershipId, { userId: sergeant.id })
		).toEqual({ ok: false, reason: 'not_member' });
	});

	it('completes the course when the roll-call module was the last thing missing after a pass', async () => {
		const { db, orgId, start, close } = await setup();
		const [a, b] = officers(db, orgId, 2);
		// A passed with every module done but this one (the pass was held back by the module).
		for (const m of rollCall.modules)
			if (m.slug !== 'first-contact') recordModuleComplete(db, a!.id, rollCall, m);
		const at = new Date(Date.now() - 60_000);
		db.insert(assessmentAttempt)
			.values({
				userId: a!.id,
				courseSlug: 'roll-call',
				contentVersion: rollCall.meta.version,
				number: 1,
				seed: 1,
				startedAt: at,
				status: 'submitted',
				submittedAt: at,
				earnedPoints: 9,
				maxPoints: 10,
				score: 90,
				passed: true
			})
			.run();
		expect(db.select().from(completion).where(eq(completion.userId, a!.id)).all()).toHaveLength(0);
		// B has not passed: every module done is not enough, the assessment still stands.
		for (const m of rollCall.modules)
			if (m.slug !== 'first-contact') recordModuleComplete(db, b!.id, rollCall, m);
		const s = start();
		joinByCode(db, null, { code: s.code, userId: a!.id, ip: 'x' });
		joinByCode(db, null, { code: s.code, userId: b!.id, ip: 'x' });
		expect(close(s.sessionId)).toMatchObject({ completions: 1 });
		const done = db.select().from(completion).where(eq(completion.userId, a!.id)).all();
		expect(done).toHaveLength(1);
		expect(done[0]!.method).toBe('roll-call');
		expect(
			db.select().from(certificate).where(eq(certificate.completionId, done[0]!.id)).all()
		).toHaveLength(1);
		expect(db.select().from(completion).where(eq(completion.userId, b!.id)).all()).toHaveLength(0);
	});

	it('make-ups become one required-training assignment of the module for exactly the absent members, due close + 7 days', async () => {
		const { db, orgId, shift, sergeant, start, close } = await setup();
		const [here, away1, away2] = officers(db, orgId, 3, shift);
		const [outside] = officers(db, orgId, 2); // not in the shift
		const s = start(new Date('2026-03-14T07:00:00Z'));
		expect(assignMakeUp(db, orgId, s.sessionId, { userId: sergeant.id })).toEqual({
			ok: false,
			reason: 'open'
		});
		joinByCode(db, null, {
			code: s.code,
			userId: here!.id,
			ip: 'x',
			now: new Date('2026-03-14T07:05:00Z')
		});
		const closedAt = new Date('2026-03-14T07:30:00Z');
		close(s.sessionId, closedAt);
		const made = assignMakeUp(db, orgId, s.sessionId, { userId: sergeant.id }, closedAt);
		expect(made).toMatchObject({ ok: true, assigned: 2 });
		const assignmentId = made.ok ? made.assignmentId! : 0;

		// One assignment of training's own kind: people-targeted, the session's module, fixed due.
		const rows = db.select().from(assignment).where(eq(assignment.orgId, orgId)).all();
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({
			id: assignmentId,
			seriesId: assignmentId,
			courseSlug: 'roll-call',
			moduleSlug: 'first-contact',
			scope: 'people',
			dueKind: 'fixed',
			dueOn: '2026-03-21',
			renewalMonths: null
		});
		expect(rows[0]!.userIds.sort()).toEqual([away1!.id, away2!.id].sort());
		// audited like any assignment, in the same transaction as the make-up
		const audited = db
			.select({ action: auditEvent.action })
			.from(auditEvent)
			.where(eq(auditEvent.subjectId, String(assignmentId)))
			.all();
		expect(audited.map((a) => a.action)).toContain('assignment.create');
		// the session keeps the link, one row per absent member
		const links = listMakeUps(db, s.sessionId);
		expect(links.map((m) => m.membershipId).sort()).toEqual(
			[away1!.membershipId, away2!.membershipId].sort()
		);
		expect(links.every((m) => m.assignmentId === assignmentId)).toBe(true);
		expect(links[0]!.dueAt.toISOString()).toBe('2026-03-21T07:30:00.000Z');

		// Twice assigns once.
		expect(assignMakeUp(db, orgId, s.sessionId, { userId: sergeant.id })).toEqual({
			ok: true,
			assigned: 0,
			assignmentId: null
		});
		expect(db.select().from(assignment).all()).toHaveLength(1);

		// It is in each absent member's required training, due 21 March; not in anyone else's.
		const now = new Date('2026-03-16T12:00:00Z');
		const mine = (userId: number) =>
			myRequirements(db, userId, now).filter((r) => r.key === 'roll-call/first-contact');
		for (const who of [away1!, away2!])
			expect(mine(who.id)).toMatchObject([{ state: 'due-soon', dueOn: '2026-03-21' }]);
		expect(mine(here!.id)).toEqual([]);
		expect(mine(outside!.id)).toEqual([]);

		// Met once the person does the module: by reading it, or at another roll call.
		recordModuleComplete(db, away1!.id, rollCall, firstContact, new Date('2026-03-17T09:00:00Z'));
		expect(mine(away1!.id)).toMatchObject([{ state: 'completed' }]);
		expect(mine(away2!.id)).toMatchObject([{ state: 'due-soon' }]);
		const again = start(new Date('2026-03-18T07:00:00Z'));
		joinByCode(db, null, {
			code: again.code,
			userId: away2!.id,
			ip: 'x',
			now: new Date('2026-03-18T07:01:00Z')
		});
		close(again.sessionId, new Date('2026-03-18T07:20:00Z'));
		expect(mine(away2!.id)).toMatchObject([{ state: 'completed' }]);
		// Left undone, it is overdue after the day it is due.
		const late = officers(db, orgId, 1, shift)[0]!;
		const third = start(new Date('2026-03-19T07:00:00Z'));
		close(third.sessionId, new Date('2026-03-19T07:20:00Z'));
		assignMakeUp(
			db,
			orgId,
			third.sessionId,
			{ userId: sergeant.id },
			new Date('2026-03-19T07:21:00Z')
		);
		expect(
			myRequirements(db, late.id, new Date('2026-03-27T12:00:00Z')).find(
				(r) => r.key === 'roll-call/first-contact'
			)
		).toMatchObject({ state: 'overdue', dueOn: '2026-03-26' });
	});

	it('the transcript, the supervisor’s member transcript and the transcript PDF carry the roll-call lines', async () => {
		const { db, orgId, otherOrgId, start, close } = await setup();
		const [a] = officers(db, orgId, 1);
		const s = start(new Date('2026-03-14T07:00:00Z'));
		joinByCode(db, null, {
			code: s.code,
			userId: a!.id,
			ip: 'x',
			now: new Date('2026-03-14T07:01:00Z')
		});
		close(s.sessionId, new Date('2026-03-14T07:20:00Z'));
		const expected = `roll-call, 14 March, led by Sgt. Diaz, ${firstContact.minutes} minutes`;
		const own = buildTranscript(db, catalog, a!.id);
		expect(own.rollcall).toEqual([
			{
				sessionId: s.sessionId,
				moduleTitle: firstContact.title,
				courseTitle: rollCall.meta.title,
				line: expected,
				addedBySupervisor: false
			}
		]);
		// The supervisor's view of their own organization has it; another organization's has not.
		expect(buildTranscript(db, catalog, a!.id, { orgId }).rollcall).toHaveLength(1);
		expect(buildTranscript(db, catalog, a!.id, { orgId: otherOrgId }).rollcall).toEqual([]);
		const dir = mkdtempSync(join(tmpdir(), 'muster-transcript-'));
		try {
			const file = join(dir, 't.pdf');
			writeFileSync(file, await renderTranscriptPdf(own, 'Muster'));
			const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(
				/\s+/g,
				' '
			);
			expect(text).toContain('Roll-call sessions');
			expect(text).toContain(`${firstContact.title} (${rollCall.meta.title}) ${expected}`);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('the roster CSV has the completions export columns and neutralises formula cells', async () => {
		const { db, orgId, start, close } = await setup();
		const [a] = officers(db, orgId, 1);
		db.update(user).set({ name: '=HYPERLINK("x")' }).where(eq(user.id, a!.id)).run();
		const s = start();
		joinByCode(db, null, { code: s.code, userId: a!.id, ip: 'x' });
		close(s.sessionId);
		const csv = rosterCsv(db, catalog, orgId, s.sessionId)!;
		const [header, row] = csv.text.trim().split('\r\n');
		expect(header).toBe(
			'member name,employee/badge number,email,course title,course description,category,start date,end date,credit hours,delivery,provider,certificate code,certificate valid until,score,content version'
		);
		expect(row).toMatch(/^"'=HYPERLINK\(""x""\)",B-\d+,officer\d+@rollcall\.test,/);
		expect(row).toContain(',roll-call,');
	});
});

describe('the presenter', () => {
	it('shows each module’s briefing section by section, ending with the question for the room', () => {
		for (const course of catalog.courses) {
			for (const m of course.modules) {
				const steps = presenterSteps(m);
				expect(steps.map((s) => s.kind)).toEqual(['scene', 'rule', 'steps', 'discussion']);
				expect(steps[0]).toMatchObject({ text: m.briefing.scene });
				expect(steps[2]).toMatchObject({ items: [...m.briefing.steps] });
				expect(steps[3]).toMatchObject({ text: m.briefing.question });
			}
		}
	});
});
