import { and, eq, gte, inArray } from 'drizzle-orm';
import type { Queryable } from '../db';
import { completion, membership } from '../db/schema';
import { addMonths, dayIn } from './days';
import { rosterStatus, type Cell, type OrgRef, type RosterStatus } from './roster-status';
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

function tally(cells: Cell[]): Tally {
	const t: Tally = {
		assigned: 0,
		completed: 0,
		overdue: 0,
		dueSoon: 0,
		expiring: 0,
		expired: 0,
		exempt: 0,
		rate: 0
	};
	for (const c of cells) {
		t.assigned++;
		if (satisfied(c)) t.completed++;
		if (c.state === 'overdue') t.overdue++;
		else if (c.state === 'due-soon') t.dueSoon++;
		else if (c.state === 'expiring') t.expiring++;
		else if (c.state === 'expired') t.expired++;
		else if (c.state === 'exempt') t.exempt++;
	}
	t.rate = t.assigned ? Math.round((t.completed / t.assigned) * 100) : 0;
	return t;
}

/** A requirement met right now: a completion that counts, not overdue for renewal, not expired. */
export function satisfied(c: Cell): boolean {
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

/** The supervisor's figures, from one roster status computation and one completions query. */
export function trainingDashboard(
	db: Queryable,
	org: OrgRef,
	now = new Date(),
	roster?: RosterStatus
): Dashboard {
	const r = roster ?? rosterStatus(db, org, now);
	const cellsFor = (slug: string, memberFilter?: (groupIds: number[]) => boolean) =>
		r.members
			.filter((m) => !memberFilter || memberFilter(m.groupIds))
			.flatMap((m) => {
				const c = r.cells.get(m.userId)?.get(slug);
				return c ? [c] : [];
			});
	const overdueUsers = new Set<number>();
	for (const [userId, row] of r.cells)
		for (const c of row.values()) if (c.state === 'overdue') overdueUsers.add(userId);

	// Completions per month (the organization's months), the last 12 including this one.
	const thisMonth = r.today.slice(0, 7);
	const first = addMonths(`${thisMonth}-01`, -11);
	const months = Array.from({ length: 12 }, (_, i) => ({
		month: addMonths(first, i).slice(0, 7),
		completions: 0
	}));
	const index = new Map(months.map((m, i) => [m.month, i]));
	const since = new Date(new Date(`${first}T00:00:00Z`).getTime() - 86_400_000); // a day's margin for the zone
	const orgUsers = db
		.select({ id: membership.userId })
		.from(membership)
		.where(and(eq(membership.orgId, org.id), eq(membership.active, true)));
	for (const c of db
		.select({ at: completion.completedAt })
		.from(completion)
		.where(and(inArray(completion.userId, orgUsers), gte(completion.completedAt, since)))
		.all()) {
		const i = index.get(dayIn(c.at, org.timeZone).slice(0, 7));
		if (i !== undefined) months[i]!.completions++;
	}

	return {
		today: r.today,
		members: r.members.length,
		peopleOverdue: overdueUsers.size,
		byCourse: r.courses.map((slug) => ({ slug, ...tally(cellsFor(slug)) })),
		byGroup: r.groups.map((g) => ({
			id: g.id,
			name: g.name,
			courses: r.courses.map((slug) => ({
				slug,
				...tally(cellsFor(slug, (ids) => ids.includes(g.id)))
			}))
		})),
		months
	};
}

export const MATRIX_PAGE_SIZE = 50;

export interface MatrixFilter {
	groupId?: number;
	status?: State;
	course?: string;
	q?: string;
	page?: number;
}

/** The matrix: members × required courses, filtered, one page at a time. */
export function trainingMatrix(
	db: Queryable,
	org: OrgRef,
	filter: MatrixFilter,
	now = new Date(),
	roster?: RosterStatus
) {
	const r = roster ?? rosterStatus(db, org, now);
	const q = filter.q?.trim().toLowerCase();
	const rows = r.members.filter((m) => {
		if (filter.groupId && !m.groupIds.includes(filter.groupId)) return false;
		if (
			q &&
			!(
				m.name.toLowerCase().includes(q) ||
				m.email.toLowerCase().includes(q) ||
				(m.employeeId ?? '').toLowerCase().includes(q)
			)
		)
			return false;
		if (filter.status) {
			const row = r.cells.get(m.userId);
			if (!row) return false;
			const cells = filter.course ? [row.get(filter.course)] : [...row.values()];
			if (!cells.some((c) => c?.state === filter.status)) return false;
		}
		return true;
	});
	const total = rows.length;
	const pages = Math.max(1, Math.ceil(total / MATRIX_PAGE_SIZE));
	const page = Math.min(Math.max(1, filter.page ?? 1), pages);
	const slice = rows.slice((page - 1) * MATRIX_PAGE_SIZE, page * MATRIX_PAGE_SIZE);
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
