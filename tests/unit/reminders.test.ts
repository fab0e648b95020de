import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '../../src/lib/server/db';
import { createMailer } from '../../src/lib/server/mail';
import { createAssignment, createExemption } from '../../src/lib/server/training/assignments';
import {
	reminderCandidates,
	remindersSentTo,
	runReminders,
	thresholdsDue
} from '../../src/lib/server/training/reminders';
import { requirementTitles } from '../../src/lib/server/training/describe';
import { recordModuleComplete } from '../../src/lib/server/learning/progress';
import { DEFAULT_THRESHOLDS } from '../../src/lib/server/training/assignments';
import { catalog } from '../fixtures/courses';
import { testConfig } from '../fixtures/db';
import { makeCompletion, makeMember, makeOrg } from '../fixtures/training';

const run = promisify(execFile);
const day = 86_400_000;
const titles = new Map(catalog.courses.map((c) => [c.slug, c.meta.title]));

interface Mail {
	to: string;
	subject: string;
}

describe('reminders against a real SMTP server', () => {
	const received: Mail[] = [];
	let refuseFlakyOnce = true;
	let server: SMTPServer;
	let port = 0;
	const dir = mkdtempSync(join(tmpdir(), 'muster-reminders-'));
	const file = join(dir, 'muster.db');

	beforeAll(async () => {
		server = new SMTPServer({
			authOptional: true,
			disabledCommands: ['STARTTLS'],
			onRcptTo(address, _session, callback) {
				if (address.address === 'flaky@example.org' && refuseFlakyOnce) {
					refuseFlakyOnce = false;
					return callback(new Error('451 try again later'));
				}
				callback();
			},
			onData(stream, session, callback) {
				let data = '';
				stream.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
				stream.on('end', () => {
					const subject =
						/^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(data)?.[1]?.replace(/\r\n[ \t]/g, ' ') ?? '';
					for (const r of session.envelope.rcptTo) received.push({ to: r.address, subject });
					callback();
				});
			}
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		port = (server.server.address() as AddressInfo).port;
	});
	afterAll(async () => {
		await new Promise<void>((resolve) => server.close(() => resolve()));
		rmSync(dir, { recursive: true, force: true });
	});

	const config = () =>
		testConfig({ SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'Muster <muster@example.org>' });
	const opts = { origin: 'https://muster.example', instanceName: 'Muster', titles };
	const count = (to: string) => received.filter((m) => m.to === to).length;

	it('sends each reminder exactly once: twice in a row, after reopening the database, and from two processes at once', async () => {
		let db: DB = openDatabase(file, { migrations: 'drizzle' }).db;
		const now = Date.now();
		const orgId = makeOrg(db, 'UTC', 'Riverside PD');
		const boss = makeMember(db, orgId, {
			role: 'supervisor',
			email: 'boss@example.org',
			joinedAt: new Date(now - 900 * day)
		});
		makeCompletion(db, boss.userId, 'roll-call', new Date(now - 100 * day), {
			expiresAt: new Date(now + 265 * day)
		});
		// Due 30 days after joining.
		const joined = (dueInDays: number) => new Date(now - (30 - dueInDays) * day);
		makeMember(db, orgId, { email: 'soon@example.org', joinedAt: joined(5) }); // 7-day reminder
		makeMember(db, orgId, { email: 'late@example.org', joinedAt: joined(-3) }); // overdue, first week
		makeMember(db, orgId, { email: 'later@example.org', joinedAt: joined(-9) }); // overdue, second week
		makeMember(db, orgId, { email: 'flaky@example.org', joinedAt: joined(-3) }); // first send refused
		makeMember(db, orgId, { email: 'fine@example.org', joinedAt: joined(25) }); // nothing yet
		const expiring = makeMember(db, orgId, {
			email: 'expiring@example.org',
			joinedAt: new Date(now - 900 * day)
		});
		makeCompletion(db, expiring.userId, 'roll-call', new Date(now - 345 * day), {
			expiresAt: new Date(now + 20 * day)
		});
		const away = makeMember(db, orgId, { email: 'away@example.org', joinedAt: joined(-3) });
		const a = createAssignment(
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
				renewalMonths: 12
			},
			{ actorId: boss.userId },
			new Date(now - 800 * day)
		);
		if (!a.ok) throw new Error('assign');
		createExemption(
			db,
			orgId,
			{
				seriesId: a.id,
				userId: away.userId,
				reason: 'military_deployment',
				note: null,
				endsOn: '2999-01-01'
			},
			{ actorId: boss.userId }
		);

		const first = await runReminders(db, createMailer(db, config()), opts);
		expect(first).toMatchObject({ claimed: 6, sent: 5, failed: 1 });
		expect(count('soon@example.org')).toBe(1);
		expect(received.find((m) => m.to === 'soon@example.org')!.subject).toMatch(
			/^Required training due/
		);
		expect(count('late@example.org')).toBe(1);
		expect(count('later@example.org')).toBe(1);
		expect(count('expiring@example.org')).toBe(1);
		expect(received.find((m) => m.to === 'expiring@example.org')!.subject).toMatch(
			/certificate expires/
		);
		expect(count('fine@example.org')).toBe(0);
		expect(count('away@example.org')).toBe(0);
		expect(count('flaky@example.org')).toBe(0);
		expect(count('boss@example.org')).toBe(1); // the weekly digest, one for all overdue people
		expect(received.find((m) => m.to === 'boss@example.org')!.subject).toMatch(/3 people overdue/);
		// Each outcome is written to its row: when it went, or why not.
		expect(
			db.$client
				.prepare(
					'select to_email, status, attempts, sent_at is not null sent, last_error from reminder order by id'
				)
				.all()
		).toEqual(
			expect.arrayContaining([
				{ to_email: 'soon@example.org', status: 'sent', attempts: 1, sent: 1, last_error: null },
				{
					to_email: 'flaky@example.org',
					status: 'failed',
					attempts: 1,
					sent: 0,
					last_error: expect.stringMatching(/451/)
				}
			])
		);

		// Again: only the failed send is retried.
		const second = await runReminders(db, createMailer(db, config()), opts);
		expect(second).toMatchObject({ claimed: 1, sent: 1 });
		expect(count('flaky@example.org')).toBe(1);
		const third = await runReminders(db, createMailer(db, config()), opts);
		expect(third.claimed).toBe(0);

		// After closing and reopening the database (a restart): nothing again.
		db.$client.close();
		db = openDatabase(file, { migrations: 'drizzle' }).db;
		expect((await runReminders(db, createMailer(db, config()), opts)).claimed).toBe(0);

		// New people come due; two processes run the job at the same moment.
		makeMember(db, orgId, { email: 'new1@example.org', joinedAt: joined(3) });
		makeMember(db, orgId, { email: 'new2@example.org', joinedAt: joined(-1) });
		db.$client.close();
		const env = {
			...process.env,
			DATABASE_URL: file,
			SMTP_URL: `smtp://127.0.0.1:${port}`,
			MUSTER_DEMO: '0',
			MUSTER_MIGRATIONS: 'drizzle'
		};
		const tsx = join('node_modules', '.bin', 'tsx');
		const outs = await Promise.all([
			run(tsx, ['scripts/reminders.ts'], { env }),
			run(tsx, ['scripts/reminders.ts'], { env })
		]);
		expect(outs.map((o) => o.stdout).join('')).toMatch(/claimed/);
		expect(count('new1@example.org')).toBe(1);
		expect(count('new2@example.org')).toBe(1);

		// Every reminder went out exactly once.
		const seen = new Map<string, number>();
		for (const m of received)
			seen.set(`${m.to}|${m.subject}`, (seen.get(`${m.to}|${m.subject}`) ?? 0) + 1);
		expect([...seen.values()].every((n) => n === 1)).toBe(true);
		expect(received).toHaveLength(8);

		db = openDatabase(file, { migrations: 'drizzle' }).db;
		const rows = db.$client
			.prepare('select status, count(*) n from reminder group by status')
			.all();
		expect(rows).toEqual([{ status: 'sent', n: 8 }]);
		// The learner sees what was sent to them.
		const late = db.$client
			.prepare("select id from user where email = 'late@example.org'")
			.get() as { id: number };
		expect(remindersSentTo(db, late.id).map((r) => r.subject)[0]).toMatch(/overdue since/);
		db.$client.close();
	}, 60_000);
});

describe('thresholds', () => {
	const status = (over: object) => ({
		state: 'not-started' as const,
		dueOn: '2027-03-15',
		completedAt: null,
		validUntil: null,
		started: false,
		exemptUntil: null,
		cycle: '2027-03-15',
		...over
	});
	it('7 days before, on the day, then weekly when overdue at most four times', () => {
		const t = DEFAULT_THRESHOLDS;
		expect(thresholdsDue(status({}), '2027-03-07', t)).toEqual([]);
		expect(thresholdsDue(status({}), '2027-03-08', t)).toEqual([
			{ threshold: 'before', cycle: '2027-03-15' }
		]);
		expect(thresholdsDue(status({ state: 'due-soon' }), '2027-03-15', t)).toEqual([
			{ threshold: 'due', cycle: '2027-03-15' }
		]);
		const o = status({ state: 'overdue' });
		expect(thresholdsDue(o, '2027-03-16', t)[0]!.threshold).toBe('overdue-1');
		expect(thresholdsDue(o, '2027-03-22', t)[0]!.threshold).toBe('overdue-1');
		expect(thresholdsDue(o, '2027-03-23', t)[0]!.threshold).toBe('overdue-2');
		expect(thresholdsDue(o, '2027-04-12', t)[0]!.threshold).toBe('overdue-4');
		expect(thresholdsDue(o, '2027-04-13', t)).toEqual([]);
		expect(thresholdsDue(status({ state: 'exempt' }), '2027-03-16', t)).toEqual([]);
	});
	it('30 days before a certificate expires', () => {
		const s = status({
			state: 'expiring',
			dueOn: null,
			completedAt: new Date('2026-04-15T00:00:00Z'),
			validUntil: '2027-04-15'
		});
		expect(thresholdsDue(s, '2027-03-15', DEFAULT_THRESHOLDS)).toEqual([]);
		expect(thresholdsDue(s, '2027-03-16', DEFAULT_THRESHOLDS)).toEqual([
			{ threshold: 'expiry', cycle: '2027-04-15' }
		]);
	});
});

describe('a module requirement (a roll-call make-up)', () => {
	it('is reminded with the module’s title and a link to the module, and not once the module is done', () => {
		const db = openDatabase(':memory:', { migrations: 'drizzle' }).db;
		const orgId = makeOrg(db, 'UTC', 'Riverside PD');
		const boss = makeMember(db, orgId, { role: 'supervisor' });
		const absent = makeMember(db, orgId, { email: 'absent@example.org' });
		const done = makeMember(db, orgId, { email: 'done@example.org' });
		const made = createAssignment(
			db,
			orgId,
			{
				courseSlug: 'roll-call',
				moduleSlug: 'first-contact',
				scope: 'people',
				groupIds: [],
				userIds: [absent.userId, done.userId],
				dueKind: 'fixed',
				dueOn: '2026-03-21',
				dueDays: null,
				renewalMonths: null
			},
			{ actorId: boss.userId },
			new Date('2026-03-14T08:00:00Z')
		);
		expect(made.ok).toBe(true);
		const course = catalog.bySlug.get('roll-call')!;
		const module = course.modules.find((m) => m.slug === 'first-contact')!;
		recordModuleComplete(db, done.userId, course, module, new Date('2026-03-15T08:00:00Z'));
		const due = reminderCandidates(db, {
			origin: 'https://muster.example',
			instanceName: 'Muster',
			titles: requirementTitles(catalog),
			now: new Date('2026-03-21T09:00:00Z')
		});
		expect(due.map((c) => c.toEmail)).toEqual(['absent@example.org']);
		expect(due[0]!.subject).toContain(module.title);
		expect(due[0]!.body).toContain('https://muster.example/courses/roll-call/first-contact');
	});
});
