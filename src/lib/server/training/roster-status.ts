import { and, eq, gte, inArray, isNull, max } from 'drizzle-orm';
import { clientOf } from '../audit';
import type { Queryable } from '../db';
import { prepared } from '../db/prepared';
import {
	assessmentAttempt,
	assignment,
	exemption,
	groupMember,
	membership,
	moduleProgress,
	orgGroup,
	user,
	type Role
} from '../db/schema';
import { dayIn } from './days';
import { moreUrgent, requirementStatus, type CompletionFact, type Status } from './status';

export type Assignment = typeof assignment.$inferSelect;

export interface OrgRef {
	id: number;
	timeZone: string;
}

export interface RosterMember {
	userId: number;
	membershipId: number;
	name: string;
	email: string;
	employeeId: string | null;
	role: Role;
	joinedAt: Date;
	groupIds: number[];
}

/** One person against one required course: the most urgent of the requirements that apply. */
export interface Cell extends Status {
	seriesId: number;
	courseSlug: string;
	/** Set when the requirement is one module of the course (a roll-call make-up). */
	moduleSlug: string | null;
	/** `requirementKey` of the requirement: the course slug, or "course/module". */
	key: string;
}

/**
 * What a requirement asks for, as one string: the course slug, or "course/module" for one
 * module of it (also the path of that page under /courses). The matrix has a column per key.
 */
export function requirementKey(a: { courseSlug: string; moduleSlug: string | null }): string {
	return a.moduleSlug ? `${a.courseSlug}/${a.moduleSlug}` : a.courseSlug;
}

export interface RosterStatus {
	today: string;
	members: RosterMember[];
	/** The assignments in force, oldest first. */
	assignments: Assignment[];
	/** Requirement keys (course slugs, or "course/module"), in the order first required. */
	courses: string[];
	/** userId → requirement key → cell. */
	cells: Map<number, Map<string, Cell>>;
	/** Every (person, requirement series) status, for reminders. */
	perSeries: { userId: number; assignment: Assignment; status: Status }[];
	groups: { id: number; name: string }[];
}

/** The assignments of an organization in force now (not ended). */
export function activeAssignments(db: Queryable, orgId: number): Assignment[] {
	return db
		.select()
		.from(assignment)
		.where(and(eq(assignment.orgId, orgId), isNull(assignment.endedAt)))
		.orderBy(assignment.since, assignment.id)
		.all();
}

const MEMBERS_OF = `ms.org_id = :org and ms.active = 1
	and (:users is null or ms.user_id in (select value from json_each(:users)))`;

/** Per person and course, the latest certificate not revoked that also satisfies `where`. */
const LATEST_SQL = (
	where: string
) => `select ms.user_id, ce.course_slug, max(ce.completed_at), ce.expires_at
	from membership ms join certificate ce on ce.user_id = ms.user_id
	where ${MEMBERS_OF} and (${where})
		and ((select count(*) from certificate_revocation) = 0
			or not exists (select 1 from certificate_revocation r where r.certificate_id = ce.id))
	group by ms.user_id, ce.course_slug
	having ce.course_slug in (select value from json_each(:courses))`;

/**
 * Per person and course, the latest completion without a certificate. None are written today
 * (certificates/issue.ts issues one with each): read only when the two tables' counts differ.
 * A certificate repeats its completion's person, course and time, so the rest come from the
 * certificates.
 */
const UNCERTIFIED_SQL = `select c.user_id, c.course_slug, max(c.completed_at)
	from membership ms join completion c on c.user_id = ms.user_id
	where (select count(*) from completion) <> (select count(*) from certificate)
		and ${MEMBERS_OF}
		and not exists (select 1 from certificate x where x.completion_id = c.id)
	group by ms.user_id, c.course_slug
	having c.course_slug in (select value from json_each(:courses))`;

/**
 * Every active member's status against every requirement of the organization, in a fixed
 * number of queries whatever the roster's size (members, groups, assignments, completions,
 * module progress, attempts, exemptions): no query per person. `userId` narrows it to one,
 * `userIds` to some (the matrix's page).
 */
export function rosterStatus(
	db: Queryable,
	org: OrgRef,
	now = new Date(),
	opts: { userId?: number; userIds?: number[] } = {}
): RosterStatus {
	const today = dayIn(now, org.timeZone);
	const assignments = activeAssignments(db, org.id);
	const courses = [...new Set(assignments.map(requirementKey))];
	const courseSlugs = [...new Set(assignments.map((a) => a.courseSlug))];
	const moduleCourses = [
		...new Set(assignments.filter((a) => a.moduleSlug).map((a) => a.courseSlug))
	];
	const only = opts.userId !== undefined ? [opts.userId] : opts.userIds;
	const memberWhere = and(
		eq(membership.orgId, org.id),
		eq(membership.active, true),
		only ? inArray(membership.userId, only) : undefined
	);
	const memberRows = db
		.select({
			userId: membership.userId,
			membershipId: membership.id,
			name: user.name,
			email: user.email,
			employeeId: membership.employeeId,
			role: membership.role,
			joinedAt: membership.createdAt
		})
		.from(membership)
		.innerJoin(user, eq(user.id, membership.userId))
		.where(memberWhere)
		.orderBy(user.name, membership.id)
		.all();
	const groups = db
		.select({ id: orgGroup.id, name: orgGroup.name })
		.from(orgGroup)
		.where(eq(orgGroup.orgId, org.id))
		.orderBy(orgGroup.name)
		.all();
	const groupRows = db
		.select({ m: groupMember.membershipId, g: groupMember.groupId, at: groupMember.addedAt })
		.from(groupMember)
		.innerJoin(orgGroup, eq(orgGroup.id, groupMember.groupId))
		.where(
			and(
				eq(orgGroup.orgId, org.id),
				only
					? inArray(
							groupMember.membershipId,
							memberRows.map((m) => m.membershipId)
						)
					: undefined
			)
		)
		.all();
	const groupsOf = new Map<number, Map<number, Date | null>>();
	for (const r of groupRows) {
		let m = groupsOf.get(r.m);
		if (!m) groupsOf.set(r.m, (m = new Map()));
		m.set(r.g, r.at);
	}
	const members: RosterMember[] = memberRows.map((m) => ({
		...m,
		groupIds: [...(groupsOf.get(m.membershipId)?.keys() ?? [])]
	}));
	const cells = new Map<number, Map<string, Cell>>();
	const perSeries: RosterStatus['perSeries'] = [];
	if (!courses.length || !members.length) {
		return { today, members, assignments, courses, cells, perSeries, groups };
	}

	const orgUsers = db.select({ id: membership.userId }).from(membership).where(memberWhere);
	const done = new Map<string, CompletionFact[]>();
	const addFact = (userId: number, course: string, f: CompletionFact) => {
		const key = `${userId}:${course}`;
		let list = done.get(key);
		if (!list) done.set(key, (list = []));
		list.push(f);
	};
	// Of each person's completions of a course, only those that can be the one that counts
	// (requirementStatus takes the latest that counts): the latest not revoked, and the latest
	// whose certificate is still valid (only one of those counts when the latest came before
	// the requirement applied), from the covering certificate index; and the latest without a
	// certificate, if any completion has none.
	const bind = {
		org: org.id,
		now: now.getTime(),
		courses: JSON.stringify(courseSlugs),
		users: only ? JSON.stringify(only) : null
	};
	for (const [userId, course, at, exp] of prepared(db, 'training.roster.latest', (db) =>
		clientOf(db).prepare(LATEST_SQL('1'))
	)
		.raw()
		.all(bind) as [number, string, number, number | null][])
		addFact(userId, course, {
			completedAt: new Date(at),
			expiresAt: exp === null ? null : new Date(exp),
			revoked: false
		});
	for (const [userId, course, at, exp] of prepared(db, 'training.roster.latestValid', (db) =>
		clientOf(db).prepare(LATEST_SQL('ce.expires_at is null or ce.expires_at > :now'))
	)
		.raw()
		.all(bind) as [number, string, number, number | null][]) {
		const list = done.get(`${userId}:${course}`)!;
		// The same completion when the latest is still valid.
		if (list[0]!.completedAt.getTime() !== at)
			list.push({
				completedAt: new Date(at),
				expiresAt: exp === null ? null : new Date(exp),
				revoked: false
			});
	}
	for (const [userId, course, at] of prepared(db, 'training.roster.uncertified', (db) =>
		clientOf(db).prepare(UNCERTIFIED_SQL)
	)
		.raw()
		.all(bind) as [number, string, number][])
		addFact(userId, course, { completedAt: new Date(at), expiresAt: null, revoked: false });
	// A module requirement is met by the module done (read, or at roll call): it never expires.
	if (moduleCourses.length) {
		for (const p of db
			.select({
				userId: moduleProgress.userId,
				course: moduleProgress.courseSlug,
				module: moduleProgress.moduleSlug,
				completedAt: moduleProgress.completedAt
			})
			.from(moduleProgress)
			.where(
				and(
					inArray(moduleProgress.userId, orgUsers),
					inArray(moduleProgress.courseSlug, moduleCourses)
				)
			)
			.all()) {
			const key = `${p.userId}:${p.course}/${p.module}`;
			let list = done.get(key);
			if (!list) done.set(key, (list = []));
			list.push({ completedAt: p.completedAt, expiresAt: null, revoked: false });
		}
	}
	const activity = new Map<string, Date>();
	const noteActivity = (rows: { userId: number; course: string; at: Date | null }[]) => {
		for (const r of rows) {
			if (!r.at) continue;
			const key = `${r.userId}:${r.course}`;
			const prev = activity.get(key);
			if (!prev || r.at > prev) activity.set(key, r.at);
		}
	};
	noteActivity(
		db
			.select({
				userId: moduleProgress.userId,
				course: moduleProgress.courseSlug,
				at: max(moduleProgress.completedAt)
			})
			.from(moduleProgress)
			.where(
				and(
					inArray(moduleProgress.userId, orgUsers),
					inArray(moduleProgress.courseSlug, courseSlugs)
				)
			)
			.groupBy(moduleProgress.userId, moduleProgress.courseSlug)
			.all()
	);
	noteActivity(
		db
			.select({
				userId: assessmentAttempt.userId,
				course: assessmentAttempt.courseSlug,
				at: max(assessmentAttempt.startedAt)
			})
			.from(assessmentAttempt)
			.where(
				and(
					inArray(assessmentAttempt.userId, orgUsers),
					inArray(assessmentAttempt.courseSlug, courseSlugs)
				)
			)
			.groupBy(assessmentAttempt.userId, assessmentAttempt.courseSlug)
			.all()
	);
	const exemptions = new Map<string, string>();
	for (const e of db
		.select({ userId: exemption.userId, seriesId: exemption.seriesId, endsOn: exemption.endsOn })
		.from(exemption)
		.where(
			and(
				eq(exemption.orgId, org.id),
				isNull(exemption.withdrawnAt),
				gte(exemption.endsOn, today),
				only ? inArray(exemption.userId, only) : undefined
			)
		)
		.all()) {
		const key = `${e.userId}:${e.seriesId}`;
		const prev = exemptions.get(key);
		if (!prev || e.endsOn > prev) exemptions.set(key, e.endsOn);
	}

	for (const m of members) {
		const mine = groupsOf.get(m.membershipId);
		let row: Map<string, Cell> | undefined;
		for (const a of assignments) {
			const since = appliesSince(a, m, mine);
			if (!since) continue;
			const series = a.seriesId ?? a.id;
			const req = requirementKey(a);
			const key = `${m.userId}:${req}`;
			const status = requirementStatus(
				a,
				{
					joinedAt: m.joinedAt,
					assignedAt: since,
					completions: done.get(key) ?? [],
					// A module requirement is started only by doing the module (which meets it).
					lastActivityAt: a.moduleSlug ? null : (activity.get(key) ?? null),
					exemptUntil: exemptions.get(`${m.userId}:${series}`) ?? null
				},
				now,
				org.timeZone
			);
			perSeries.push({ userId: m.userId, assignment: a, status });
			if (!row) cells.set(m.userId, (row = new Map()));
			const cell: Cell = {
				...status,
				seriesId: series,
				courseSlug: a.courseSlug,
				moduleSlug: a.moduleSlug,
				key: req
			};
			const prev = row.get(req);
			row.set(req, prev ? (moreUrgent(prev, cell) as Cell) : cell);
		}
	}
	return { today, members, assignments, courses, cells, perSeries, groups };
}

/**
 * When an assignment began to apply to a member, or null if it does not: from the later of
 * the assignment and the day they joined the organization (or the group, for a group's).
 */
export function appliesSince(
	a: Assignment,
	m: Pick<RosterMember, 'userId' | 'joinedAt'>,
	groups: Map<number, Date | null> | undefined
): Date | null {
	const later = (x: Date, y: Date) => (x > y ? x : y);
	if (a.scope === 'org') return later(a.since, m.joinedAt);
	if (a.scope === 'people') return a.userIds.includes(m.userId) ? later(a.since, m.joinedAt) : null;
	let earliest: Date | null = null;
	for (const g of a.groupIds) {
		if (!groups?.has(g)) continue;
		const joined = groups.get(g) ?? m.joinedAt;
		if (!earliest || joined < earliest) earliest = joined;
	}
	return earliest ? later(a.since, earliest) : null;
}

export function cellOf(r: RosterStatus, userId: number, key: string): Cell | undefined {
	return r.cells.get(userId)?.get(key);
}
