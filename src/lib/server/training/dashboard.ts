import { clientOf } from '../audit';
import type { Queryable } from '../db';
import { prepared } from '../db/prepared';
import { addMonths, dayStart } from './days';
import { requirementKey, rosterStatus, type Cell, type OrgRef } from './roster-status';
import { membersInState, stateCounts } from './roster-counts';
import { STATES, type State } from './status';

export interface Tally {
	assigned: number;
	/** Holding a completion that satisfies the requirement now (completed, expiring, renewal due soon). */
	completed: number;
	overdue: number;
	dueSoon: number;
	expiring: number;
	expired: number;
	exempt: number;
	rate: number;
}

const emptyTally = (): Tally => ({
	assigned: 0,
	completed: 0,
	overdue: 0,
	dueSoon: 0,
	expiring: 0,
	expired: 0,
	exempt: 0,
	rate: 0
});

/** Adds `n` cells in one state to a tally. */
function add(t: Tally, c: Pick<Cell, 'state' | 'completedAt'>, n: number) {
	t.assigned += n;
	if (satisfied(c)) t.completed += n;
	if (c.state === 'overdue') t.overdue += n;
	else if (c.state === 'due-soon') t.dueSoon += n;
	else if (c.state === 'expiring') t.expiring += n;
	else if (c.state === 'expired') t.expired += n;
	else if (c.state === 'exempt') t.exempt += n;
}

function withRate(t: Tally): Tally {
	t.rate = t.assigned ? Math.round((t.completed / t.assigned) * 100) : 0;
	return t;
}

/** A requirement met right now: a completion that counts, not overdue for renewal, not expired. */
export function satisfied(c: Pick<Cell, 'state' | 'completedAt'>): boolean {
	return (
		c.completedAt !== null && c.state !== 'overdue' && c.state !== 'expired' && c.state !== 'exempt'
	);
}

export interface Dashboard {
	today: string;
	members: number;
	peopleOverdue: number;
	byCourse: ({ slug: string } & Tally)[];
	byGroup: { id: number; name: string; courses: ({ slug: string } & Tally)[] }[];
	months: { month: string; completions: number }[];
}

/** The month (0–11) an instant `at` falls in, from the 13 month starts :s0…:s12: halving. */
function monthOf(at: string, from = 0, to = 12): string {
	if (to - from === 1) return String(from);
	const mid = Math.floor((from + to) / 2);
	return `case when ${at} < :s${mid} then ${monthOf(at, from, mid)} else ${monthOf(at, mid, to)} end`;
}

// Completions of the organization's members per month of the organization (months outside
// the twelve are filtered out). From the covering certificate index (each completion has its
// certificate: certificates/issue.ts), or from the completions themselves if some have none
// (the two tables' counts differ).
const MONTHS_SQL = `select ${monthOf('at')} month, count(*)
from (
	select ce.completed_at at from membership ms join certificate ce on ce.user_id = ms.user_id
	where (select count(*) from completion) = (select count(*) from certificate)
		and ms.org_id = :org and ms.active = 1 and ce.completed_at >= :s0 and ce.completed_at < :s12
	union all
	select c.completed_at from membership ms join completion c on c.user_id = ms.user_id
	where (select count(*) from completion) <> (select count(*) from certificate)
		and ms.org_id = :org and ms.active = 1 and c.completed_at >= :s0 and c.completed_at < :s12
)
group by month`;

/**
 * The supervisor's figures: every cell's state counted by requirement, group and state
 * (roster-counts.ts, no object per cell) and one completions-per-month query; nine statements
 * whatever the roster's size.
 */
export function trainingDashboard(db: Queryable, org: OrgRef, now = new Date()): Dashboard {
	const { today, assignments, counts, peopleOverdue } = stateCounts(db, org, now);
	const courses = [...new Set(assignments.map(requirementKey))];
	const groups = orgGroups(db, org.id);
	const tallies = new Map<string, Tally>();
	const tallyOf = (groupId: number, key: string) => {
		const k = `${groupId} ${key}`;
		let t = tallies.get(k);
		if (!t) tallies.set(k, (t = emptyTally()));
		return t;
	};
	for (const c of counts)
		add(
			tallyOf(c.groupId, c.key),
			{ state: c.state, completedAt: c.hasCompletion ? new Date(0) : null },
			c.count
		);

	// Completions per month (the organization's months), the last 12 including this one: each
	// month from the first instant of its first day there (dayStart) to the next month's.
	const thisMonth = today.slice(0, 7);
	const first = addMonths(`${thisMonth}-01`, -11);
	const starts = Object.fromEntries(
		Array.from({ length: 13 }, (_, i) => [`s${i}`, dayStart(addMonths(first, i), org.timeZone)])
	);
	const months = Array.from({ length: 12 }, (_, i) => ({
		month: addMonths(first, i).slice(0, 7),
		completions: 0
	}));
	for (const [i, n] of prepared(db, 'training.dashboard.months', (db) =>
		clientOf(db).prepare(MONTHS_SQL)
	)
		.raw()
		.all({ org: org.id, ...starts }) as [number, number][])
		months[i]!.completions = n;

	return {
		today,
		members: activeMemberCount(db, org.id),
		peopleOverdue,
		byCourse: courses.map((slug) => ({
			slug,
			...withRate(tallies.get(`0 ${slug}`) ?? emptyTally())
		})),
		byGroup: groups.map((g) => ({
			id: g.id,
			name: g.name,
			courses: courses.map((slug) => ({
				slug,
				...withRate(tallies.get(`${g.id} ${slug}`) ?? emptyTally())
			}))
		})),
		months
	};
}

function activeMemberCount(db: Queryable, orgId: number): number {
	return prepared(db, 'training.dashboard.memberCount', (db) =>
		clientOf(db).prepare(
			'select count(*) from membership m join user u on u.id = m.user_id where m.org_id = ? and m.active = 1'
		)
	)
		.pluck()
		.get(orgId) as number;
}

function orgGroups(db: Queryable, orgId: number): { id: number; name: string }[] {
	return prepared(db, 'training.dashboard.groups', (db) =>
		clientOf(db).prepare('select id, name from org_group where org_id = ? order by name')
	).all(orgId) as { id: number; name: string }[];
}

export const MATRIX_PAGE_SIZE = 50;

export interface MatrixFilter {
	groupId?: number;
	status?: State;
	course?: string;
	q?: string;
	page?: number;
}

interface MatrixMember {
	userId: number;
	membershipId: number;
	name: string;
	email: string;
	employeeId: string | null;
}

/**
 * The matrix: members × required courses, filtered, one page at a time. The roster is read
 * as plain rows and filtered here; a status filter takes the matching people from SQL
 * (roster-counts.ts); only the page's members get their statuses from `rosterStatus`.
 */
export function trainingMatrix(db: Queryable, org: OrgRef, filter: MatrixFilter, now = new Date()) {
	const members = prepared(db, 'training.dashboard.matrixMembers', (db) =>
		clientOf(db).prepare(
			`select m.user_id userId, m.id membershipId, u.name, u.email, m.employee_id employeeId
			from membership m join user u on u.id = m.user_id
			where m.org_id = ? and m.active = 1 order by u.name, m.id`
		)
	).all(org.id) as MatrixMember[];
	const inGroup = filter.groupId
		? new Set(
				prepared(db, 'training.dashboard.groupMembers', (db) =>
					clientOf(db).prepare(
						`select gm.membership_id from group_member gm
						join org_group og on og.id = gm.group_id and og.org_id = ?
						where gm.group_id = ?`
					)
				)
					.pluck()
					.all(org.id, filter.groupId) as number[]
			)
		: null;
	const inState = filter.status
		? membersInState(db, org, filter.status, filter.course ?? null, now)
		: null;
	const q = filter.q?.trim().toLowerCase();
	const rows = members.filter((m) => {
		if (inGroup && !inGroup.has(m.membershipId)) return false;
		if (
			q &&
			!(
				m.name.toLowerCase().includes(q) ||
				m.email.toLowerCase().includes(q) ||
				(m.employeeId ?? '').toLowerCase().includes(q)
			)
		)
			return false;
		if (inState && !inState.has(m.membershipId)) return false;
		return true;
	});
	const total = rows.length;
	const pages = Math.max(1, Math.ceil(total / MATRIX_PAGE_SIZE));
	const page = Math.min(Math.max(1, filter.page ?? 1), pages);
	const slice = rows.slice((page - 1) * MATRIX_PAGE_SIZE, page * MATRIX_PAGE_SIZE);
	const r = rosterStatus(db, org, now, { userIds: slice.map((m) => m.userId) });
	return {
		courses: r.courses,
		groups: r.groups,
		total,
		page,
		pages,
		rows: slice.map((m) => ({
			membershipId: m.membershipId,
			userId: m.userId,
			name: m.name,
			employeeId: m.employeeId,
			cells: r.courses.map((slug) => {
				const c = r.cells.get(m.userId)?.get(slug);
				return c
					? { state: c.state, dueOn: c.dueOn, validUntil: c.validUntil, exemptUntil: c.exemptUntil }
					: null;
			})
		}))
	};
}

export function isState(s: string | null): s is State {
	return s !== null && (STATES as readonly string[]).includes(s);
}
