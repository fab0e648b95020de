import { stringify } from 'csv-stringify/sync';
import type { Queryable } from '../db';
import type { Catalog } from '../courses/catalog';
import { organization } from '../db/schema';
import { eq } from 'drizzle-orm';
import { findSession, listAttendees, sessionRecords } from './sessions';

/** The columns of the completions export (required training), in its order. */
export const ROSTER_COLUMNS = [
	'member name',
	'employee/badge number',
	'email',
	'course title',
	'course description',
	'category',
	'start date',
	'end date',
	'credit hours',
	'delivery',
	'provider',
	'certificate code',
	'certificate valid until',
	'score',
	'content version'
];

/** A cell a spreadsheet would run as a formula gets a leading apostrophe. */
export function neutralise(value: string): string {
	return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const day = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : '');

/**
 * A session's roster as CSV. Before the close it lists who is present now (no end date, no
 * credit yet); after, what the close recorded.
 */
export function rosterCsv(
	db: Queryable,
	catalog: Catalog,
	orgId: number,
	sessionId: number
): { text: string; fileName: string } | undefined {
	const session = findSession(db, orgId, sessionId);
	if (!session) return undefined;
	const org = db
		.select({ name: organization.name })
		.from(organization)
		.where(eq(organization.id, orgId))
		.get();
	const course = catalog.bySlug.get(session.courseSlug);
	const module = course?.modules.find((m) => m.slug === session.moduleSlug);
	const title = course
		? `${course.meta.title}: ${module?.title ?? session.moduleSlug}`
		: session.courseSlug;
	const common = (minutes: number) => ({
		title,
		description: course?.meta.summary ?? '',
		category: course?.meta.category ?? '',
		hours: (minutes / 60).toFixed(2)
	});
	const rows: string[][] = [];
	if (session.closedAt) {
		for (const r of sessionRecords(db, sessionId)) {
			const c = common(r.creditMinutes);
			rows.push([
				r.name,
				r.employeeId ?? '',
				r.email,
				c.title,
				c.description,
				c.category,
				day(session.startedAt),
				day(session.closedAt),
				c.hours,
				r.addedBySupervisor ? 'roll-call (added by the supervisor)' : 'roll-call',
				org?.name ?? '',
				r.certificateCode ?? '',
				day(r.certificateExpiresAt),
				r.score === null ? '' : String(r.score),
				session.contentVersion
			]);
		}
	} else {
		for (const r of listAttendees(db, sessionId)) {
			const c = common(module?.minutes ?? 0);
			rows.push([
				r.name,
				r.employeeId ?? '',
				'',
				c.title,
				c.description,
				c.category,
				day(session.startedAt),
				'',
				'',
				r.addedBySupervisor ? 'roll-call (added by the supervisor)' : 'roll-call',
				org?.name ?? '',
				'',
				'',
				'',
				session.contentVersion
			]);
		}
	}
	const text = stringify([ROSTER_COLUMNS, ...rows.map((r) => r.map(neutralise))], {
		record_delimiter: '\r\n'
	});
	return { text, fileName: `rollcall-${session.id}-${day(session.startedAt)}.csv` };
}
