import { and, eq, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { prepared } from '../db/prepared';
import { membership, organization, type OrgKind, type Role } from '../db/schema';

export const ROLE_RANK: Record<Role, number> = { learner: 0, supervisor: 1, admin: 2 };

export interface OrgAccess {
	org: { id: number; slug: string; name: string; kind: OrgKind; timeZone: string };
	role: Role;
	/** The viewer's own membership, if any (instance administrators may have none). */
	membershipId: number | null;
}

/**
 * What a user may do in an organization: their active membership's role, or admin for an
 * instance administrator. Null when the user has no business there at all.
 */
export function orgAccess(
	db: Queryable,
	viewer: { id: number; isInstanceAdmin: boolean },
	slug: string
): OrgAccess | null {
	const row = db
		.select({
			id: organization.id,
			slug: organization.slug,
			name: organization.name,
			kind: organization.kind,
			timeZone: organization.timeZone,
			membershipId: membership.id,
			role: membership.role,
			active: membership.active
		})
		.from(organization)
		.leftJoin(
			membership,
			and(eq(membership.orgId, organization.id), eq(membership.userId, viewer.id))
		)
		.where(eq(organization.slug, slug))
		.get();
	if (!row) return null;
	const { membershipId, role, active, ...org } = row;
	if (viewer.isInstanceAdmin)
		return { org, role: 'admin', membershipId: active ? membershipId : null };
	if (!role || !active) return null;
	return { org, role, membershipId };
}

/** The organizations a person belongs to (active memberships), for switching between them. */
export function listMyOrganizations(db: Queryable, userId: number) {
	return prepared(db, 'orgs.mine', (db) =>
		db
			.select({
				slug: organization.slug,
				name: organization.name,
				kind: organization.kind,
				timeZone: organization.timeZone,
				role: membership.role
			})
			.from(membership)
			.innerJoin(organization, eq(organization.id, membership.orgId))
			.where(and(eq(membership.userId, sql.placeholder('userId')), eq(membership.active, true)))
			.orderBy(organization.name)
			.prepare()
	).all({ userId });
}

export const KIND_FOR_CATEGORY: Record<string, OrgKind> = {
	'law-enforcement': 'department',
	investigations: 'department',
	campus: 'campus',
	volunteers: 'ngo'
};

/**
 * The organization named on a certificate: the learner's organization of the kind the course is
 * for (a department for roll-call, an NGO for volunteer onboarding), else their first one, else
 * the instance itself.
 */
export function issuerFor(
	db: Queryable,
	userId: number,
	courseCategory: string,
	instanceName: string
): string {
	const orgs = prepared(db, 'orgs.issuers', (db) =>
		db
			.select({ name: organization.name, kind: organization.kind })
			.from(membership)
			.innerJoin(organization, eq(organization.id, membership.orgId))
			.where(and(eq(membership.userId, sql.placeholder('userId')), eq(membership.active, true)))
			.orderBy(membership.createdAt)
			.prepare()
	).all({ userId });
	return (
		(orgs.find((o) => o.kind === KIND_FOR_CATEGORY[courseCategory]) ?? orgs[0])?.name ??
		instanceName
	);
}
