import { and, asc, count, eq, inArray, notInArray, or } from 'drizzle-orm';
import { foldedContains } from '../db/search';
import type { DB, Queryable } from '../db';
import {
	completion,
	groupMember,
	membership,
	orgGroup,
	user,
	type GroupKind,
	type Role
} from '../db/schema';
import { recordAudit } from '../audit';
import { invalidateUserSessions } from '../auth/session';

export const PAGE_SIZE = 25;

export interface MemberRow {
	membershipId: number;
	userId: number;
	name: string;
	email: string;
	role: Role;
	employeeId: string | null;
	active: boolean;
	/** The person left themselves: only a new invitation they accept brings them back. */
	left: boolean;
	groups: string[];
}

export function listMembers(
	db: Queryable,
	orgId: number,
	filter: {
		q?: string;
		groupId?: number;
		role?: Role;
		page?: number;
		/** Active members who have (or have not) completed a course: the dashboard's counts. */
		training?: { course: string; completed: boolean };
	} = {}
): { rows: MemberRow[]; total: number; page: number; pages: number } {
	const done = filter.training
		? db
				.select({ id: completion.userId })
				.from(completion)
				.where(eq(completion.courseSlug, filter.training.course))
		: undefined;
	const q = filter.q?.trim();
	const where = and(
		eq(membership.orgId, orgId),
		filter.role ? eq(membership.role, filter.role) : undefined,
		q
			? or(
					foldedContains(user.email, q),
					foldedContains(user.name, q),
					foldedContains(membership.employeeId, q)
				)
			: undefined,
		filter.training ? eq(membership.active, true) : undefined,
		filter.training && done
			? filter.training.completed
				? inArray(membership.userId, done)
				: notInArray(membership.userId, done)
			: undefined,
		filter.groupId
			? inArray(
					membership.id,
					db
						.select({ id: groupMember.membershipId })
						.from(groupMember)
						.where(eq(groupMember.groupId, filter.groupId))
				)
			: undefined
	);
	const total =
		db
			.select({ n: count() })
			.from(membership)
			.innerJoin(user, eq(user.id, membership.userId))
			.where(where)
			.get()?.n ?? 0;
	const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
	const page = Math.min(Math.max(1, filter.page ?? 1), pages);
	const rows = db
		.select({
			membershipId: membership.id,
			userId: membership.userId,
			name: user.name,
			email: user.email,
			role: membership.role,
			employeeId: membership.employeeId,
			active: membership.active,
			leftAt: membership.leftAt
		})
		.from(membership)
		.innerJoin(user, eq(user.id, membership.userId))
		.where(where)
		.orderBy(asc(user.name), asc(membership.id))
		.limit(PAGE_SIZE)
		.offset((page - 1) * PAGE_SIZE)
		.all();
	const groups = groupsOf(
		db,
		rows.map((r) => r.membershipId)
	);
	return {
		rows: rows.map(({ leftAt, ...r }) => ({
			...r,
			left: leftAt !== null,
			groups: groups.get(r.membershipId) ?? []
		})),
		total,
		page,
		pages
	};
}

function groupsOf(db: Queryable, membershipIds: number[]): Map<number, string[]> {
	const map = new Map<number, string[]>();
	if (!membershipIds.length) return map;
	const rows = db
		.select({ m: groupMember.membershipId, name: orgGroup.name })
		.from(groupMember)
		.innerJoin(orgGroup, eq(orgGroup.id, groupMember.groupId))
		.where(inArray(groupMember.membershipId, membershipIds))
		.orderBy(asc(orgGroup.name))
		.all();
	for (const r of rows) map.set(r.m, [...(map.get(r.m) ?? []), r.name]);
	return map;
}

/** One member of this organization (never another's: a foreign id is simply not found). */
export function findMember(db: Queryable, orgId: number, membershipId: number) {
	const row = db
		.select({
			membershipId: membership.id,
			userId: membership.userId,
			name: user.name,
			email: user.email,
			role: membership.role,
			employeeId: membership.employeeId,
			active: membership.active,
			leftAt: membership.leftAt,
			since: membership.createdAt
		})
		.from(membership)
		.innerJoin(user, eq(user.id, membership.userId))
		.where(and(eq(membership.id, membershipId), eq(membership.orgId, orgId)))
		.get();
	if (!row) return undefined;
	const groupIds = db
		.select({ id: groupMember.groupId })
		.from(groupMember)
		.where(eq(groupMember.membershipId, membershipId))
		.all();
	return { ...row, groupIds: groupIds.map((g) => g.id) };
}

export function listGroups(db: Queryable, orgId: number) {
	return db
		.select({
			id: orgGroup.id,
			name: orgGroup.name,
			kind: orgGroup.kind,
			members: count(groupMember.membershipId)
		})
		.from(orgGroup)
		.leftJoin(groupMember, eq(groupMember.groupId, orgGroup.id))
		.where(eq(orgGroup.orgId, orgId))
		.groupBy(orgGroup.id)
		.orderBy(asc(orgGroup.name))
		.all();
}

type Actor = { actorId: number; ip?: string | null };
export type ChangeResult =
	| { ok: true }
	| { ok: false; reason: 'not_found' | 'last_admin' | 'unknown_group' | 'exists' | 'left' };

function activeAdmins(db: Queryable, orgId: number): number {
	return (
		db
			.select({ n: count() })
			.from(membership)
			.where(
				and(eq(membership.orgId, orgId), eq(membership.role, 'admin'), eq(membership.active, true))
			)
			.get()?.n ?? 0
	);
}

/** Changes a member's role, its groups and whether it is active, in one audited transaction. */
export function updateMember(
	db: DB,
	orgId: number,
	membershipId: number,
	change: { role?: Role; groupIds?: number[]; active?: boolean },
	by: Actor
): ChangeResult {
	return db.transaction((tx) => {
		const m = findMember(tx, orgId, membershipId);
		if (!m) return { ok: false, reason: 'not_found' };
		// Someone who left withdrew their consent: an admin cannot bring them back (invite them).
		if (m.leftAt && (change.active || change.role || change.groupIds))
			return { ok: false, reason: 'left' };
		const losesAdmin =
			m.role === 'admin' &&
			m.active &&
			((change.role && change.role !== 'admin') || change.active === false);
		if (losesAdmin && activeAdmins(tx, orgId) <= 1) return { ok: false, reason: 'last_admin' };
		const detail: Record<string, unknown> = {};
		if (change.role && change.role !== m.role) {
			tx.update(membership).set({ role: change.role }).where(eq(membership.id, membershipId)).run();
			detail.role = { from: m.role, to: change.role };
			invalidateUserSessions(tx, m.userId); // a new role takes effect with a new session and its limits
		}
		if (change.groupIds) {
			const valid = new Set(
				tx
					.select({ id: orgGroup.id })
					.from(orgGroup)
					.where(eq(orgGroup.orgId, orgId))
					.all()
					.map((g) => g.id)
			);
			if (change.groupIds.some((g) => !valid.has(g))) return { ok: false, reason: 'unknown_group' };
			const next = [...new Set(change.groupIds)].sort((a, b) => a - b);
			const prev = [...m.groupIds].sort((a, b) => a - b);
			if (next.join() !== prev.join()) {
				// Only the changes: a group kept keeps the day the person joined it (required
				// training assigned to a group counts from that day).
				const removed = prev.filter((g) => !next.includes(g));
				const added = next.filter((g) => !prev.includes(g));
				if (removed.length)
					tx.delete(groupMember)
						.where(
							and(eq(groupMember.membershipId, membershipId), inArray(groupMember.groupId, removed))
						)
						.run();
				if (added.length)
					tx.insert(groupMember)
						.values(added.map((groupId) => ({ groupId, membershipId })))
						.run();
				detail.groups = { from: prev, to: next };
			}
		}
		if (change.active !== undefined && change.active !== m.active) {
			tx.update(membership)
				.set({ active: change.active })
				.where(eq(membership.id, membershipId))
				.run();
			if (!change.active) invalidateUserSessions(tx, m.userId);
			detail.active = change.active;
		}
		if (Object.keys(detail).length) {
			recordAudit(tx, {
				action: 'membership.update',
				outcome: 'success',
				actorId: by.actorId,
				ip: by.ip,
				orgId,
				subjectType: 'membership',
				subjectId: membershipId,
				detail
			});
		}
		return { ok: true };
	});
}

export function createGroup(
	db: DB,
	orgId: number,
	input: { name: string; kind: GroupKind },
	by: Actor
): ChangeResult {
	return db.transaction((tx) => {
		const clash = tx
			.select({ id: orgGroup.id })
			.from(orgGroup)
			.where(and(eq(orgGroup.orgId, orgId), eq(orgGroup.name, input.name)))
			.get();
		if (clash) return { ok: false, reason: 'exists' };
		const id = tx
			.insert(orgGroup)
			.values({ orgId, ...input })
			.returning({ id: orgGroup.id })
			.get().id;
		recordAudit(tx, {
			action: 'group.create',
			outcome: 'success',
			actorId: by.actorId,
			ip: by.ip,
			orgId,
			subjectType: 'group',
			subjectId: id,
			detail: input
		});
		return { ok: true };
	});
}
