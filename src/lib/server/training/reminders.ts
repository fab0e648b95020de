import { and, desc, eq, isNull, lt, sql } from 'drizzle-orm';
import type { DB, Queryable } from '../db';
import { prepared } from '../db/prepared';
import { assignment, organization, reminder } from '../db/schema';
import type { Mailer } from '../mail';
import { reminderThresholds, type ReminderThresholds } from './assignments';
import { dayLabel, daysBetween, isoWeek } from './days';
import { requirementKey, rosterStatus } from './roster-status';
import type { Status } from './status';

/**
 * Reminders of required training, each at most once per person, requirement, cycle and
 * threshold. A run claims what is due by inserting rows into `reminder` (unique on exactly
 * that) in one IMMEDIATE transaction, and sends only what it claimed, after the commit. So
 * two runs, two processes or a restart never send one twice: the second finds the row. A
 * send that fails is marked failed and claimed again by a later run (up to MAX_ATTEMPTS).
 * A claim whose process died mid-send stays `sending`: it may have gone out, so it is not
 * sent again (at most once, never twice).
 */

export const MAX_ATTEMPTS = 5;

export interface ReminderOptions {
	now?: Date;
	/** The site's address, for links in the emails. */
	origin: string;
	instanceName: string;
	/** Titles by requirement key (`requirementTitles`: the catalog, passed in so the CLI needs no Vite). */
	titles: Map<string, string>;
}

interface Candidate {
	orgId: number;
	userId: number;
	seriesId: number;
	courseSlug: string | null;
	cycle: string;
	threshold: string;
	toEmail: string;
	subject: string;
	body: string;
}

/** Which reminder, if any, a person's status calls for today. */
export function thresholdsDue(
	status: Status,
	today: string,
	t: ReminderThresholds
): { threshold: string; cycle: string }[] {
	const out: { threshold: string; cycle: string }[] = [];
	if (status.state === 'exempt') return out;
	const open =
		status.state !== 'completed' && status.state !== 'expiring' && status.state !== 'expired';
	if (status.dueOn && (open || status.state === 'expired')) {
		const left = daysBetween(today, status.dueOn);
		if (left > 0 && left <= t.daysBefore && status.state !== 'expired')
			out.push({ threshold: 'before', cycle: status.dueOn });
		else if (left === 0 && t.onDueDate) out.push({ threshold: 'due', cycle: status.dueOn });
		else if (left < 0 && t.overdueRepeats > 0) {
			const k = Math.floor((-left - 1) / 7) + 1;
			if (k <= t.overdueRepeats) out.push({ threshold: `overdue-${k}`, cycle: status.dueOn });
		}
	}
	if (status.validUntil && status.completedAt && status.state !== 'expired') {
		const left = daysBetween(today, status.validUntil);
		if (left >= 0 && left <= t.expiryDaysBefore)
			out.push({ threshold: 'expiry', cycle: status.validUntil });
	}
	return out;
}

function message(
	threshold: string,
	name: string,
	title: string,
	orgName: string,
	cycle: string,
	link: string
): { subject: string; body: string } {
	const day = dayLabel(cycle);
	const subject =
		threshold === 'before'
			? `Required training due ${day}: ${title}`
			: threshold === 'due'
				? `Required training due today: ${title}`
				: threshold === 'expiry'
					? `Your certificate expires ${day}: ${title}`
					: `Required training overdue since ${day}: ${title}`;
	const body = [
		`Hello ${name},`,
		'',
		threshold === 'expiry'
			? `Your certificate for "${title}" expires on ${day}. ${orgName} requires it: renew it before then.`
			: threshold.startsWith('overdue')
				? `"${title}" was due on ${day} and is not done yet. ${orgName} requires it.`
				: `${orgName} requires "${title}" by ${day}.`,
		'',
		`Open it: ${link}`,
		'',
		'Reminders of required training cannot be switched off; your organization sets when they are sent.'
	].join('\n');
	return { subject, body };
}

/** Everything due for reminding now, across all organizations with requirements. */
export function reminderCandidates(db: Queryable, opts: ReminderOptions): Candidate[] {
	const now = opts.now ?? new Date();
	const orgs = db
		.selectDistinct({
			id: organization.id,
			name: organization.name,
			slug: organization.slug,
			timeZone: organization.timeZone
		})
		.from(organization)
		.innerJoin(assignment, and(eq(assignment.orgId, organization.id), isNull(assignment.endedAt)))
		.all();
	const out: Candidate[] = [];
	for (const org of orgs) {
		const t = reminderThresholds(db, org.id);
		const r = rosterStatus(db, org, now);
		const people = new Map(r.members.map((m) => [m.userId, m]));
		const overdue: { name: string; title: string; dueOn: string }[] = [];
		for (const { userId, assignment: a, status } of r.perSeries) {
			const m = people.get(userId)!;
			const key = requirementKey(a);
			const title = opts.titles.get(key) ?? key;
			if (status.state === 'overdue') overdue.push({ name: m.name, title, dueOn: status.dueOn! });
			for (const due of thresholdsDue(status, r.today, t)) {
				const { subject, body } = message(
					due.threshold,
					m.name,
					title,
					org.name,
					due.cycle,
					`${opts.origin}/courses/${key}`
				);
				out.push({
					orgId: org.id,
					userId,
					seriesId: a.seriesId ?? a.id,
					courseSlug: a.courseSlug,
					cycle: due.cycle,
					threshold: due.threshold,
					toEmail: m.email,
					subject,
					body
				});
			}
		}
		if (t.weeklyDigest && overdue.length) {
			overdue.sort((x, y) => x.name.localeCompare(y.name) || x.dueOn.localeCompare(y.dueOn));
			const lines = overdue.map((o) => `- ${o.name}: ${o.title}, due ${dayLabel(o.dueOn)}`);
			const people = new Set(overdue.map((o) => o.name)).size;
			for (const s of r.members.filter((m) => m.role !== 'learner')) {
				out.push({
					orgId: org.id,
					userId: s.userId,
					// One digest per organization and week: a supervisor of two gets two.
					seriesId: -org.id,
					courseSlug: null,
					cycle: isoWeek(r.today),
					threshold: 'digest',
					toEmail: s.email,
					subject: `${org.name}: ${people} ${people === 1 ? 'person' : 'people'} overdue on required training`,
					body: [
						`Hello ${s.name},`,
						'',
						`This week's summary of required training overdue at ${org.name}:`,
						'',
						...lines,
						'',
						`The list: ${opts.origin}/orgs/${org.slug}/matrix?status=overdue`
					].join('\n')
				});
			}
		}
	}
	return out;
}

export interface RunResult {
	claimed: number;
	sent: number;
	failed: number;
}

/** One run: claim (one transaction), then send after the commit. */
export async function runReminders(
	db: DB,
	mailer: Mailer,
	opts: ReminderOptions
): Promise<RunResult> {
	const now = opts.now ?? new Date();
	// Worked out before the write transaction (reads only); the claim itself is short.
	const candidates = reminderCandidates(db, { ...opts, now });
	const claimed = db.transaction(
		(tx) => {
			const rows: { id: number; toEmail: string; subject: string; body: string }[] = [];
			// Built and prepared once per connection, not once per reminder.
			const claim = prepared(tx, 'reminders.claim', (db) =>
				db
					.insert(reminder)
					.values({
						orgId: sql.placeholder('orgId'),
						userId: sql.placeholder('userId'),
						seriesId: sql.placeholder('seriesId'),
						courseSlug: sql.placeholder('courseSlug'),
						cycle: sql.placeholder('cycle'),
						threshold: sql.placeholder('threshold'),
						toEmail: sql.placeholder('toEmail'),
						subject: sql.placeholder('subject'),
						body: sql.placeholder('body'),
						status: 'sending',
						claimedAt: sql.placeholder('claimedAt')
					})
					.onConflictDoNothing()
					.returning({
						id: reminder.id,
						toEmail: reminder.toEmail,
						subject: reminder.subject,
						body: reminder.body
					})
					.prepare()
			);
			for (const c of candidates) {
				const row = claim.get({ ...c, claimedAt: now });
				if (row) rows.push(row);
			}
			// Failed sends are claimed again, still once: the row moves back to `sending` here.
			const retry = tx
				.update(reminder)
				.set({ status: 'sending', claimedAt: now })
				.where(and(eq(reminder.status, 'failed'), lt(reminder.attempts, MAX_ATTEMPTS)))
				.returning({
					id: reminder.id,
					toEmail: reminder.toEmail,
					subject: reminder.subject,
					body: reminder.body
				})
				.all();
			return [...rows, ...retry];
		},
		{ behavior: 'immediate' }
	);
	let sent = 0;
	let failed = 0;
	// Outcomes are written 50 at a time (one commit each, not one per email). A crash before a
	// batch is written leaves those rows `sending`: never sent twice, as above.
	let outcomes: { id: number; ok: boolean; error?: string }[] = [];
	const flush = () => {
		if (!outcomes.length) return;
		const batch = outcomes;
		outcomes = [];
		db.transaction((tx) => {
			const sent = prepared(tx, 'reminders.sent', (db) =>
				db
					.update(reminder)
					.set({
						status: 'sent',
						sentAt: sql`${sql.placeholder('sentAt')}`,
						attempts: sql`${reminder.attempts} + 1`,
						lastError: null
					})
					.where(eq(reminder.id, sql.placeholder('id')))
					.prepare()
			);
			const failed = prepared(tx, 'reminders.failed', (db) =>
				db
					.update(reminder)
					.set({
						status: 'failed',
						attempts: sql`${reminder.attempts} + 1`,
						lastError: sql`${sql.placeholder('error')}`
					})
					.where(eq(reminder.id, sql.placeholder('id')))
					.prepare()
			);
			for (const o of batch)
				if (o.ok) sent.run({ id: o.id, sentAt: Date.now() });
				else failed.run({ id: o.id, error: o.error!.slice(0, 500) });
		});
	};
	try {
		for (const r of claimed) {
			try {
				await mailer.send({ to: r.toEmail, subject: r.subject, text: r.body });
				outcomes.push({ id: r.id, ok: true });
				sent++;
			} catch (e) {
				outcomes.push({ id: r.id, ok: false, error: String(e) });
				failed++;
			}
			if (outcomes.length >= 50) flush();
		}
	} finally {
		flush();
	}
	return { claimed: claimed.length, sent, failed };
}

/** The reminders sent to a person, newest first, for their account page. */
export function remindersSentTo(db: Queryable, userId: number, limit = 20) {
	return db
		.select({
			id: reminder.id,
			subject: reminder.subject,
			sentAt: reminder.sentAt,
			threshold: reminder.threshold
		})
		.from(reminder)
		.where(and(eq(reminder.userId, userId), eq(reminder.status, 'sent')))
		.orderBy(desc(reminder.sentAt), desc(reminder.id))
		.limit(limit)
		.all();
}
