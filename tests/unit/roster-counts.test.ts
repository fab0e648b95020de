import { describe, expect, it } from 'vitest';
import { rng } from '../../src/lib/server/assessments/draw';
import type { DB } from '../../src/lib/server/db';
import {
	createAssignment,
	createExemption,
	withdrawExemption,
	type AssignmentInput
} from '../../src/lib/server/training/assignments';
import {
	MATRIX_PAGE_SIZE,
	satisfied,
	trainingDashboard,
	trainingMatrix
} from '../../src/lib/server/training/dashboard';
import {
	addDays,
	addMonths,
	dayIn,
	dayStart,
	firstDayMonthsBefore
} from '../../src/lib/server/training/days';
import { cellStates } from '../../src/lib/server/training/roster-counts';
import {
	activeAssignments,
	appliesSince,
	requirementKey,
	rosterStatus,
	type OrgRef
} from '../../src/lib/server/training/roster-status';
import {
	moreUrgent,
	requirementStatus,
	STATES,
	type CompletionFact,
	type State,
	type Status
} from '../../src/lib/server/training/status';
import { testDb } from '../fixtures/db';
import { makeCompletion, makeGroup, makeMember, makeOrg } from '../fixtures/training';

/*
 * The dashboard and the matrix's status filter count cells with the compiled rule
 * (roster-counts.ts, compileRule/compiledState in status.ts); every page that shows a status
 * uses rosterStatus → requirementStatus. Here both run on seeded organizations in six time
 * zones with every kind of requirement and record, at several instants, and must agree on
 * every cell, every count and every filtered list.
 */

const DAY = 86_400_000;
const base = new Date('2027-01-20T18:00:00Z');

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
const random = rng;

const ZONES = [
	'America/Los_Angeles',
	'America/Chicago',
	'Pacific/Auckland',
	// Daylight saving starts and ends at midnight there: a day that begins at 01:00.
	'America/Santiago',
	'Asia/Kolkata',
	'UTC'
];

const COURSES = [
	'roll-call',
	'campus-guide',
	'victim-centered-interviewing',
	'volunteer-onboarding'
];
const MODULE = 'briefing-two';

function seedOrg(db: DB, timeZone: string, seed: number): OrgRef & { groups: number[] } {
	const rnd = random(seed);
	const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
	const ago = (days: number) => new Date(base.getTime() - days * DAY - Math.floor(rnd() * DAY));
	const orgId = makeOrg(db, timeZone, `Org ${seed}`);
	const groups = ['Day', 'Night', 'Investigations'].map((g) => makeGroup(db, orgId, g));
	const boss = makeMember(db, orgId, { role: 'supervisor' });
	const members: { userId: number; membershipId: number }[] = [];
	for (let i = 0; i < 64; i++) {
		const joinedAt = ago(Math.floor(rnd() * 800));
		const mine = groups.filter(() => rnd() < 0.45);
		const m = makeMember(db, orgId, {
			name: `Person ${String(i).padStart(2, '0')} ${seed}`,
			employeeId: String(7000 + i),
			joinedAt,
			groups: mine.map((id) => ({
				id,
				// Joined the group later than the organization.
				at: new Date(joinedAt.getTime() + Math.floor(rnd() * 300) * DAY)
			}))
		});
		members.push(m);
		// The fixture writes the day of joining for a group row without one: clear some.
		if (rnd() < 0.2)
			db.$client
				.prepare('update group_member set added_at = null where membership_id = ?')
				.run(m.membershipId);
		for (const course of COURSES) {
			const n = Math.floor(rnd() * 4);
			for (let k = 0; k < n; k++) {
				const at = ago(Math.floor(rnd() * 900));
				const kind = rnd();
				makeCompletion(db, m.userId, course, at, {
					expiresAt:
						kind < 0.25 ? null : new Date(at.getTime() + pick([30, 200, 365, 365, 400, 730]) * DAY),
					revoked: rnd() < 0.08
				});
			}
			// Read a module or started the assessment: "in progress" when nothing counts yet.
			if (rnd() < 0.3)
				db.$client
					.prepare(
						"insert into module_progress (user_id, course_slug, module_slug, content_version, completed_at) values (?, ?, ?, '1', ?)"
					)
					.run(m.userId, course, `m-${seed}-${i}`, ago(Math.floor(rnd() * 200)).getTime());
			if (rnd() < 0.15)
				db.$client
					.prepare(
						"insert into assessment_attempt (user_id, course_slug, content_version, number, seed, started_at, status) values (?, ?, '1', 1, 1, ?, 'in_progress')"
					)
					.run(m.userId, course, ago(Math.floor(rnd() * 100)).getTime());
		}
		// The make-up module, done by some.
		if (rnd() < 0.3)
			db.$client
				.prepare(
					"insert into module_progress (user_id, course_slug, module_slug, content_version, completed_at) values (?, 'roll-call', ?, '2', ?)"
				)
				.run(m.userId, MODULE, ago(Math.floor(rnd() * 60)).getTime());
	}
	// One member has left: no cells at all.
	db.$client.prepare('update membership set active = 0 where id = ?').run(members[5]!.membershipId);

	const today = dayIn(base, timeZone);
	const assign = (input: Partial<AssignmentInput>, at: Date) => {
		const made = createAssignment(
			db,
			orgId,
			{
				courseSlug: 'roll-call',
				scope: 'org',
				groupIds: [],
				userIds: [],
				dueKind: 'after_joining',
				dueOn: null,
				dueDays: 30,
				renewalMonths: null,
				...input
			},
			{ actorId: boss.userId },
			at
		);
		if (!made.ok) throw new Error(made.reason);
		return made.id;
	};
	const everyone = assign({ renewalMonths: 12 }, ago(700));
	/**
	 * People placed a minute either side of where a rule changes its answer on `day` (the
	 * organization's), so a rule restated with an off-by-one day, the wrong zone or a wrong
	 * comparison disagrees with requirementStatus somewhere.
	 */
	const edges = (day: string) => {
		const at = (d: string, s: number) => new Date(dayStart(d, timeZone) + s);
		const longAgo = new Date(base.getTime() - 800 * DAY);
		for (const s of [-60_000, 60_000]) {
			// Due 30 days after joining: overdue / due today / due soon / not yet.
			for (const e of [0, 1, 14, 15, 16])
				makeMember(db, orgId, { joinedAt: at(addDays(day, e - 30), s) });
			// Renewal every 12 months after the last completion: overdue, due soon.
			for (const d of [firstDayMonthsBefore(day, 12), firstDayMonthsBefore(addDays(day, 15), 12)]) {
				const m = makeMember(db, orgId, { joinedAt: longAgo });
				const when = at(d, s);
				makeCompletion(db, m.userId, 'roll-call', when, {
					expiresAt: new Date(when.getTime() + 500 * DAY)
				});
			}
			// The night shift's requirement, 10 days after joining the group.
			for (const e of [0, 15])
				makeMember(db, orgId, {
					joinedAt: longAgo,
					groups: [{ id: groups[1]!, at: at(addDays(day, e - 10), s) }]
				});
		}
		// A certificate that expires now, or in 60 days: a minute before, on the dot, after.
		for (const s of [-60_000, 0, 60_000])
			for (const left of [0, 60 * DAY]) {
				const m = makeMember(db, orgId, { joinedAt: longAgo });
				makeCompletion(db, m.userId, 'roll-call', ago(100), {
					expiresAt: new Date(base.getTime() + left + s)
				});
			}
		// Completed the moment the requirement began to apply, or a millisecond before (an
		// expired certificate counts only from then on).
		for (const before of [0, 1]) {
			const joined = ago(50);
			const m = makeMember(db, orgId, { joinedAt: joined });
			makeCompletion(db, m.userId, 'roll-call', new Date(joined.getTime() - before), {
				expiresAt: ago(10)
			});
		}
	};
	// The same course again for one group, due sooner: two requirements share a column.
	const night = assign(
		{
			scope: 'groups',
			groupIds: [groups[1]!],
			dueKind: 'after_assigned',
			dueDays: 10,
			renewalMonths: 6
		},
		ago(40)
	);
	assign(
		{
			courseSlug: 'victim-centered-interviewing',
			scope: 'groups',
			groupIds: [groups[0]!, groups[2]!],
			dueKind: 'after_assigned',
			dueDays: 20,
			renewalMonths: 1
		},
		ago(25)
	);
	assign(
		{
			courseSlug: 'campus-guide',
			scope: 'people',
			userIds: members.filter((_, i) => i % 3 === 0).map((m) => m.userId),
			dueKind: 'fixed',
			dueOn: addDays(today, 9),
			renewalMonths: 24
		},
		ago(100)
	);
	assign(
		{
			courseSlug: 'volunteer-onboarding',
			dueKind: 'fixed',
			dueOn: addDays(today, -3)
		},
		ago(300)
	);
	// A roll-call make-up: one module, for a few people.
	assign(
		{
			courseSlug: 'roll-call',
			moduleSlug: MODULE,
			scope: 'people',
			userIds: members.filter((_, i) => i % 4 === 1).map((m) => m.userId),
			dueKind: 'after_assigned',
			dueDays: 14
		},
		ago(12)
	);
	for (const day of [today, addDays(today, 4)]) edges(day);
	// Joined recently, in groups whose row has no day (then: since joining).
	for (const g of groups) {
		const m = makeMember(db, orgId, { joinedAt: ago(5), groups: [{ id: g }] });
		db.$client
			.prepare('update group_member set added_at = null where membership_id = ?')
			.run(m.membershipId);
	}
	// A valid certificate made before joining that expires this very instant: it no longer counts.
	{
		const m = makeMember(db, orgId, { joinedAt: ago(50) });
		makeCompletion(db, m.userId, 'roll-call', ago(100), { expiresAt: base });
	}
	// Exempt from both roll-call requirements: from the organization's with an expired
	// completion that counts, from the night shift's with none. The column shows the first.
	{
		const m = makeMember(db, orgId, {
			joinedAt: ago(600),
			groups: [{ id: groups[1]!, at: ago(20) }]
		});
		makeCompletion(db, m.userId, 'roll-call', ago(200), { expiresAt: ago(5) });
		for (const seriesId of [everyone, night])
			createExemption(
				db,
				orgId,
				{ seriesId, userId: m.userId, reason: 'light_duty', note: null, endsOn: today },
				{ actorId: boss.userId },
				ago(3)
			);
	}
	// Exempt while expiring, or completed: those states stay.
	for (const left of [30, 200]) {
		const m = makeMember(db, orgId, { joinedAt: ago(400) });
		makeCompletion(db, m.userId, 'roll-call', ago(300), {
			expiresAt: new Date(base.getTime() + left * DAY)
		});
		createExemption(
			db,
			orgId,
			{
				seriesId: everyone,
				userId: m.userId,
				reason: 'other',
				note: 'x',
				endsOn: addDays(today, 90)
			},
			{ actorId: boss.userId },
			ago(2)
		);
	}
	// Exemptions: in force, ended, withdrawn.
	for (const [i, m] of members.entries()) {
		if (i % 7 !== 2) continue;
		const made = createExemption(
			db,
			orgId,
			{
				seriesId: everyone,
				userId: m.userId,
				reason: 'medical_leave',
				note: null,
				endsOn: addDays(today, i % 2 ? 30 : -2)
			},
			{ actorId: boss.userId },
			ago(5)
		);
		if (made.ok && i % 3 === 0)
			withdrawExemption(db, orgId, made.id, { actorId: boss.userId }, ago(1));
	}
	return { id: orgId, timeZone, groups };
}

/** The dashboard's figures as the pages knew them: from rosterStatus, cell by cell. */
function referenceDashboard(db: DB, org: OrgRef, now: Date) {
	const r = rosterStatus(db, org, now);
	const tally = (slug: string, groupId?: number) => {
		const t = {
			assigned: 0,
			completed: 0,
			overdue: 0,
			dueSoon: 0,
			expiring: 0,
			expired: 0,
			exempt: 0
		};
		for (const m of r.members) {
			if (groupId && !m.groupIds.includes(groupId)) continue;
			const c = r.cells.get(m.userId)?.get(slug);
			if (!c) continue;
			t.assigned++;
			if (satisfied(c)) t.completed++;
			if (c.state === 'overdue') t.overdue++;
			else if (c.state === 'due-soon') t.dueSoon++;
			else if (c.state === 'expiring') t.expiring++;
			else if (c.state === 'expired') t.expired++;
			else if (c.state === 'exempt') t.exempt++;
		}
		return { slug, ...t, rate: t.assigned ? Math.round((t.completed / t.assigned) * 100) : 0 };
	};
	let peopleOverdue = 0;
	for (const row of r.cells.values())
		if ([...row.values()].some((c) => c.state === 'overdue')) peopleOverdue++;
	return {
		members: r.members.length,
		peopleOverdue,
		byCourse: r.courses.map((slug) => tally(slug)),
		byGroup: r.groups.map((g) => ({
			id: g.id,
			name: g.name,
			courses: r.courses.map((slug) => tally(slug, g.id))
		}))
	};
}

function instants(timeZone: string): Date[] {
	const today = dayIn(base, timeZone);
	return [
		base,
		new Date(base.getTime() + 17 * DAY + 3_600_000),
		new Date(base.getTime() + 61 * DAY),
		// A minute either side of midnight there, on a day a due date or renewal turns.
		new Date(dayStart(addDays(today, 4), timeZone) - 60_000),
		new Date(dayStart(addDays(today, 4), timeZone) + 60_000),
		// Across the change to or from daylight saving time (March/April, September/October).
		new Date(dayStart('2027-04-04', timeZone) + 30 * 60_000),
		new Date(dayStart('2027-09-05', timeZone) + 30 * 60_000)
	];
}

/** Completions of active members per month of the organization, counted one by one. */
function referenceMonths(db: DB, org: OrgRef, now: Date) {
	const first = addMonths(`${dayIn(now, org.timeZone).slice(0, 7)}-01`, -11);
	const months = Array.from({ length: 12 }, (_, i) => ({
		month: addMonths(first, i).slice(0, 7),
		completions: 0
	}));
	const at = db.$client
		.prepare(
			'select c.completed_at from completion c join membership m on m.user_id = c.user_id where m.org_id = ? and m.active = 1'
		)
		.pluck()
		.all(org.id) as number[];
	for (const t of at) {
		const month = months.find((m) => m.month === dayIn(new Date(t), org.timeZone).slice(0, 7));
		if (month) month.completions++;
	}
	return months;
}

/**
 * Every cell straight from the rule: requirementStatus over all of a person's records, read
 * here with plain SQL (nothing reduced), merged per column with moreUrgent.
 */
function bruteForce(db: DB, org: OrgRef, now: Date) {
	const q = <T>(sql: string, ...args: unknown[]) => db.$client.prepare(sql).all(...args) as T[];
	const today = dayIn(now, org.timeZone);
	const members = q<{ uid: number; mid: number; joined: number }>(
		'select user_id uid, id mid, created_at joined from membership where org_id = ? and active = 1',
		org.id
	);
	const groupRows = q<{ mid: number; gid: number; at: number | null }>(
		'select gm.membership_id mid, gm.group_id gid, gm.added_at at from group_member gm join org_group g on g.id = gm.group_id where g.org_id = ?',
		org.id
	);
	const facts = new Map<string, CompletionFact[]>();
	const push = (key: string, f: CompletionFact) => {
		if (!facts.has(key)) facts.set(key, []);
		facts.get(key)!.push(f);
	};
	for (const c of q<{
		uid: number;
		course: string;
		at: number;
		exp: number | null;
		revoked: number;
	}>(
		`select c.user_id uid, c.course_slug course, c.completed_at at, ce.expires_at exp,
			r.id is not null revoked
		from completion c left join certificate ce on ce.completion_id = c.id
			left join certificate_revocation r on r.certificate_id = ce.id`
	))
		push(`${c.uid} ${c.course}`, {
			completedAt: new Date(c.at),
			expiresAt: c.exp === null ? null : new Date(c.exp),
			revoked: c.revoked === 1
		});
	for (const p of q<{ uid: number; course: string; module: string; at: number }>(
		'select user_id uid, course_slug course, module_slug module, completed_at at from module_progress'
	))
		push(`${p.uid} ${p.course}/${p.module}`, {
			completedAt: new Date(p.at),
			expiresAt: null,
			revoked: false
		});
	const activity = new Map<string, number>();
	for (const a of q<{ uid: number; course: string; at: number }>(
		`select user_id uid, course_slug course, completed_at at from module_progress
		union all select user_id, course_slug, started_at from assessment_attempt`
	))
		activity.set(`${a.uid} ${a.course}`, Math.max(activity.get(`${a.uid} ${a.course}`) ?? 0, a.at));
	const exemptUntil = new Map<string, string>();
	for (const e of q<{ uid: number; series: number; ends: string }>(
		'select user_id uid, series_id series, ends_on ends from exemption where org_id = ? and withdrawn_at is null',
		org.id
	)) {
		const key = `${e.uid} ${e.series}`;
		if (e.ends >= today && e.ends > (exemptUntil.get(key) ?? '')) exemptUntil.set(key, e.ends);
	}
	const out = new Map<string, { state: State; hasCompletion: boolean }>();
	const chosen = new Map<string, Status>();
	for (const m of members) {
		const groups = new Map(
			groupRows
				.filter((g) => g.mid === m.mid)
				.map((g) => [g.gid, g.at === null ? null : new Date(g.at)])
		);
		for (const a of activeAssignments(db, org.id)) {
			const since = appliesSince(a, { userId: m.uid, joinedAt: new Date(m.joined) }, groups);
			if (!since) continue;
			const key = requirementKey(a);
			const status = requirementStatus(
				a,
				{
					joinedAt: new Date(m.joined),
					assignedAt: since,
					completions: facts.get(`${m.uid} ${key}`) ?? [],
					lastActivityAt: a.moduleSlug
						? null
						: activity.has(`${m.uid} ${key}`)
							? new Date(activity.get(`${m.uid} ${key}`)!)
							: null,
					exemptUntil: exemptUntil.get(`${m.uid} ${a.seriesId ?? a.id}`) ?? null
				},
				now,
				org.timeZone
			);
			const prev = chosen.get(`${m.uid} ${key}`);
			const c = prev ? moreUrgent(prev, status) : status;
			chosen.set(`${m.uid} ${key}`, c);
			out.set(`${m.uid} ${key}`, { state: c.state, hasCompletion: c.completedAt !== null });
		}
	}
	return { cells: out, statuses: chosen };
}

function compareEverything(db: DB, org: OrgRef, now: Date, matrix = true) {
	const label = `${org.timeZone} at ${now.toISOString()}`;
	const r = rosterStatus(db, org, now);
	const expected = new Map<string, { state: State; hasCompletion: boolean }>();
	for (const [userId, row] of r.cells)
		for (const [key, c] of row)
			expected.set(`${userId} ${key}`, { state: c.state, hasCompletion: c.completedAt !== null });
	// rosterStatus reads reduced records; the rule over everything must say the same, with
	// the same dates.
	const brute = bruteForce(db, org, now);
	expect(Object.fromEntries(expected), label).toEqual(Object.fromEntries(brute.cells));
	for (const [userId, row] of r.cells)
		for (const [key, c] of row) {
			const { seriesId: _s, courseSlug: _c, moduleSlug: _m, key: _k, ...status } = c;
			expect(status, `${label} ${userId} ${key}`).toEqual(brute.statuses.get(`${userId} ${key}`));
		}
	const got = cellStates(db, org, now);
	expect(Object.fromEntries(got), label).toEqual(Object.fromEntries(expected));

	const d = trainingDashboard(db, org, now);
	expect(
		{
			members: d.members,
			peopleOverdue: d.peopleOverdue,
			byCourse: d.byCourse,
			byGroup: d.byGroup
		},
		label
	).toEqual(referenceDashboard(db, org, now));
	expect(d.months, label).toEqual(referenceMonths(db, org, now));
	if (!matrix) return;

	// The matrix: every status filter, for any course and for each, and its pages.
	const pageOf = (rows: typeof r.members) =>
		rows.slice(0, MATRIX_PAGE_SIZE).map((m) => ({
			userId: m.userId,
			cells: r.courses.map((slug) => {
				const c = r.cells.get(m.userId)?.get(slug);
				return c
					? { state: c.state, dueOn: c.dueOn, validUntil: c.validUntil, exemptUntil: c.exemptUntil }
					: null;
			})
		}));
	for (const status of STATES)
		for (const course of [undefined, ...r.courses]) {
			const want = r.members.filter((m) => {
				const row = r.cells.get(m.userId);
				if (!row) return false;
				const cells = course ? [row.get(course)] : [...row.values()];
				return cells.some((c) => c?.state === status);
			});
			const m = trainingMatrix(db, org, { status, course }, now);
			expect(m.total, `${label} ${status} ${course ?? 'any'}`).toBe(want.length);
			expect(
				m.rows.map((row) => ({ userId: row.userId, cells: row.cells })),
				`${label} ${status} ${course ?? 'any'}`
			).toEqual(pageOf(want));
		}
	const all = trainingMatrix(db, org, { page: 2 }, now);
	expect(all.total).toBe(r.members.length);
	expect(all.rows.map((row) => ({ userId: row.userId, cells: row.cells }))).toEqual(
		pageOf(r.members.slice(MATRIX_PAGE_SIZE))
	);
}

describe('the counted statuses equal the per-person rule', () => {
	it('for every cell, count and filter, in six time zones at seven instants', () => {
		const db = testDb();
		const orgs = ZONES.map((zone, i) => seedOrg(db, zone, 11 + i));
		const seen = new Set<State>();
		for (const org of orgs)
			for (const [i, now] of instants(org.timeZone).entries()) {
				// Every filter of the matrix at the first instant and a minute after midnight.
				compareEverything(db, org, now, i === 0 || i === 4);
				for (const c of cellStates(db, org, now).values()) seen.add(c.state);
			}
		// The seeded records reach every state, so each rule was compared.
		expect([...seen].sort()).toEqual([...STATES].sort());
	});

	it('also with completions that have no certificate, and revoked latest certificates', () => {
		const db = testDb();
		const org = seedOrg(db, 'America/Chicago', 5);
		const r = rosterStatus(db, org, base);
		const [a, b] = r.members.filter((m) => r.cells.get(m.userId)?.get('roll-call'));
		// A completion without a certificate (none are written today; the rule counts it).
		db.$client
			.prepare(
				"insert into completion (user_id, course_slug, content_version, score, method, completed_at) values (?, 'roll-call', '1', 90, 'self-paced', ?)"
			)
			.run(a!.userId, base.getTime() - 3 * DAY);
		// The latest completion revoked: the one before counts, if any.
		makeCompletion(db, b!.userId, 'roll-call', new Date(base.getTime() - DAY), {
			expiresAt: new Date(base.getTime() + 300 * DAY),
			revoked: true
		});
		for (const now of instants(org.timeZone)) compareEverything(db, org, now);
		expect(cellStates(db, org, base).get(`${a!.userId} roll-call`)?.hasCompletion).toBe(true);
	});

	it('an organization without requirements or members counts nothing', () => {
		const db = testDb();
		const orgId = makeOrg(db, 'UTC');
		const org = { id: orgId, timeZone: 'UTC' };
		expect(cellStates(db, org, base).size).toBe(0);
		const d = trainingDashboard(db, org, base);
		expect(d).toMatchObject({ members: 0, peopleOverdue: 0, byCourse: [], byGroup: [] });
		expect(trainingMatrix(db, org, { status: 'overdue' }, base).total).toBe(0);
	});
});

describe('days as instants', () => {
	it('dayStart is the first instant dayIn calls that day, in every zone, across daylight saving', () => {
		for (const zone of ZONES)
			for (let day = '2026-12-25'; day < '2028-01-10'; day = addDays(day, 1)) {
				const t = dayStart(day, zone);
				expect(dayIn(new Date(t), zone), `${zone} ${day}`).toBe(day);
				expect(dayIn(new Date(t - 1), zone) < day, `${zone} ${day}`).toBe(true);
			}
	});

	it('firstDayMonthsBefore is the first day whose renewal falls on or after the day', () => {
		for (const n of [1, 6, 12, 13, 24])
			for (let day = '2027-01-01'; day < '2028-12-31'; day = addDays(day, 1)) {
				const d = firstDayMonthsBefore(day, n);
				expect(addMonths(d, n) >= day, `${n} ${day}`).toBe(true);
				expect(addMonths(addDays(d, -1), n) < day, `${n} ${day}`).toBe(true);
			}
	});
});
