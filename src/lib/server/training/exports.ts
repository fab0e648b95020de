import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { DB } from '../db';
import type { Catalog } from '../courses/catalog';
import { addDays, dayIn } from './days';
import { rosterStatus, type OrgRef } from './roster-status';
import { STATE_LABELS } from './status';
import { requirementTitle } from './describe';
import { CATEGORY_LABELS } from './transcript';

/**
 * OWASP's rule against CSV (formula) injection: a cell a spreadsheet would read as a formula
 * (starting with =, +, -, @, a tab or a carriage return) gets a leading apostrophe.
 */
export function neutralize(value: string): string {
	return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export const COMPLETION_COLUMNS = [
	'Member name',
	'Badge number',
	'Email',
	'Course title',
	'Course description',
	'Category',
	'Start date',
	'End date',
	'Credit hours',
	'Delivery',
	'Provider',
	'Certificate code',
	'Certificate valid until',
	'Score',
	'Content version'
];

export interface CompletionFilter {
	from?: string;
	to?: string;
	course?: string;
	groupId?: number;
}

interface Row {
	id: number;
	name: string;
	employeeId: string | null;
	email: string;
	course: string;
	version: string;
	score: number;
	method: string;
	completedAt: number;
	startedAt: number | null;
	code: string | null;
	expiresAt: number | null;
}

const BATCH = 1000;

/**
 * The completions of the organization's members (active or not) as rows for a state
 * training board's roster import, read 1,000 at a time by id (no cursor stays open across
 * yields, so other requests keep using the connection) and streamed: constant memory.
 */
export function* completionRows(
	db: DB,
	org: OrgRef & { name: string },
	catalog: Catalog,
	filter: CompletionFilter = {}
): Generator<(string | number)[]> {
	// Instants a day either side of the wanted days; the exact day is checked in the zone below.
	const fromMs = filter.from ? Date.parse(`${addDays(filter.from, -1)}T00:00:00Z`) : 0;
	const toMs = filter.to ? Date.parse(`${addDays(filter.to, 2)}T00:00:00Z`) : 8.64e15;
	const statement = db.$client.prepare(`
		select c.id, u.name, m.employee_id as employeeId, u.email, c.course_slug as course,
			c.content_version as version, c.score, c.method, c.completed_at as completedAt,
			coalesce(
				(select a.started_at from assessment_attempt a where a.id = c.attempt_id),
				(select min(p.completed_at) from module_progress p
					where p.user_id = c.user_id and p.course_slug = c.course_slug
						and p.completed_at <= c.completed_at
						and p.completed_at > coalesce((select max(c2.completed_at) from completion c2
							where c2.user_id = c.user_id and c2.course_slug = c.course_slug
								and c2.completed_at < c.completed_at), 0))
			) as startedAt,
			cert.code, cert.expires_at as expiresAt
		from completion c
		-- CROSS JOIN keeps completion the outer loop: each batch reads on from its last id in
		-- id order and stops at 1,000 rows. As a plain join SQLite started from the members,
		-- read every completion of theirs after the id and sorted them, once per batch: the
		-- whole export grew with the square of its size (100,000 rows: 5 s of 6).
		cross join membership m on m.user_id = c.user_id and m.org_id = @org
		join user u on u.id = c.user_id
		left join certificate cert on cert.completion_id = c.id
		where c.id > @after and c.completed_at >= @fromMs and c.completed_at < @toMs
			and (@course is null or c.course_slug = @course)
			and (@group is null or m.id in (select membership_id from group_member where group_id = @group))
		order by c.id
		limit ${BATCH}`);
	let after = 0;
	for (;;) {
		const rows = statement.all({
			org: org.id,
			after,
			fromMs,
			toMs,
			course: filter.course ?? null,
			group: filter.groupId ?? null
		}) as Row[];
		for (const r of rows) {
			const end = dayIn(new Date(r.completedAt), org.timeZone);
			if ((filter.from && end < filter.from) || (filter.to && end > filter.to)) continue;
			const course = catalog.bySlug.get(r.course);
			yield [
				neutralize(r.name),
				neutralize(r.employeeId ?? ''),
				neutralize(r.email),
				neutralize(course?.meta.title ?? r.course),
				neutralize(course?.meta.summary ?? ''),
				CATEGORY_LABELS[course?.meta.category ?? ''] ?? '',
				dayIn(new Date(r.startedAt ?? r.completedAt), org.timeZone),
				end,
				course?.meta.creditHours ?? '',
				r.method,
				neutralize(org.name),
				r.code ?? '',
				r.expiresAt ? dayIn(new Date(r.expiresAt), org.timeZone) : '',
				r.score,
				neutralize(r.version)
			];
		}
		if (rows.length < BATCH) return;
		after = rows.at(-1)!.id;
	}
}

export const STATUS_COLUMNS = [
	'Member name',
	'Badge number',
	'Email',
	'Groups',
	'Course title',
	'Status',
	'Due date',
	'Completed',
	'Valid until',
	'Exempt until'
];

/** The matrix as rows: one per person and required course. */
export function* statusRows(
	db: DB,
	org: OrgRef,
	catalog: Catalog,
	now = new Date()
): Generator<(string | number)[]> {
	const r = rosterStatus(db, org, now);
	const groupNames = new Map(r.groups.map((g) => [g.id, g.name]));
	for (const m of r.members) {
		const row = r.cells.get(m.userId);
		if (!row) continue;
		for (const slug of r.courses) {
			const c = row.get(slug);
			if (!c) continue;
			yield [
				neutralize(m.name),
				neutralize(m.employeeId ?? ''),
				neutralize(m.email),
				neutralize(m.groupIds.map((g) => groupNames.get(g) ?? '').join('; ')),
				neutralize(requirementTitle(catalog, slug)),
				STATE_LABELS[c.state],
				c.dueOn ?? '',
				c.completedAt ? dayIn(c.completedAt, org.timeZone) : '',
				c.validUntil ?? '',
				c.exemptUntil ?? ''
			];
		}
	}
}

/** Rows to an RFC 4180 CSV byte stream (UTF-8, CRLF, a header line) with backpressure. */
export function csvStream(
	columns: string[],
	rows: Iterable<(string | number)[]>
): ReadableStream<Uint8Array> {
	const csv = Readable.from(rows, { objectMode: true, highWaterMark: 64 }).pipe(
		stringify({ header: true, columns, record_delimiter: 'windows', quoted_match: /[",\r\n]/ })
	);
	return Readable.toWeb(csv) as unknown as ReadableStream<Uint8Array>;
}
