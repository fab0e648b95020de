import { and, asc, count, eq } from 'drizzle-orm';
import type { DB, Queryable } from '../db';
import { membership, organization, type Role } from '../db/schema';
import { recordAudit } from '../audit';

export interface MyMembership {
	slug: string;
	name: string;
	role: Role;
	joinedAt: Date;
}

/** The organizations a person is an active member of, with role and joined date, for /me/account. */
export function listMyMemberships(db: Queryable, userId: number): MyMembership[] {
	return db
		.select({
			slug: organization.slug,
			name: organization.name,
			role: membership.role,
			joinedAt: membership.createdAt
		})
		.from(membership)
		.innerJoin(organization, eq(organization.id, membership.orgId))
		.where(and(eq(membership.userId, userId), eq(membership.active, true)))
		.orderBy(asc(organization.name))
		.all();
}

export function findMyMembership(db: Queryable, userId: number, slug: string) {
	return listMyMemberships(db, userId).find((m) => m.slug === slug);
}

export type LeaveResult =
	{ ok: true; orgName: string } | { ok: false; reason: 'not_member' | 'last_admin' };

/**
 * The person leaves an organization. The row stays (active = false, leftAt set) with every
 * record made under it; from now on the organization no longer sees the person's records, and
 * only a new invitation, accepted by the person, brings them back (an admin cannot reactivate
 * it). The last active administrator cannot leave, so no organization is left unmanaged.
 */
export function leaveOrganization(
	db: DB,
	userId: number,
	slug: string,
	ip: string | null,
	now = new Date()
): LeaveResult {
	return db.transaction((tx) => {
		const m = tx
			.select({
				id: membership.id,
				orgId: membership.orgId,
				role: membership.role,
				orgName: organization.name
			})
			.from(membership)
			.innerJoin(organization, eq(organization.id, membership.orgId))
			.where(
				and(eq(membership.userId, userId), eq(organization.slug, slug), eq(membership.active, true))
			)
			.get();
		if (!m) return { ok: false as const, reason: 'not_member' as const };
		if (m.role === 'admin') {
			const admins =
				tx
					.select({ n: count() })
					.from(membership)
					.where(
						and(
							eq(membership.orgId, m.orgId),
							eq(membership.role, 'admin'),
							eq(membership.active, true)
						)
					)
					.get()?.n ?? 0;
			if (admins <= 1) return { ok: false as const, reason: 'last_admin' as const };
		}
		tx.update(membership).set({ active: false, leftAt: now }).where(eq(membership.id, m.id)).run();
		recordAudit(tx, {
			action: 'membership.leave',
			outcome: 'success',
			actorId: userId,
			ip,
			orgId: m.orgId,
			subjectType: 'membership',
			subjectId: m.id,
			at: now
		});
		return { ok: true as const, orgName: m.orgName };
	});
}
