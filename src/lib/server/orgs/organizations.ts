import { asc, count, eq } from 'drizzle-orm';
import type { DB, Tx } from '../db';
import { membership, organization, type OrgKind } from '../db/schema';
import { recordAudit } from '../audit';
import { createInvite } from './invites';

export interface NewOrganization {
	name: string;
	slug: string;
	kind: OrgKind;
	timeZone: string;
	contactName?: string;
	contactEmail?: string;
	firstAdmin: { email: string; name?: string };
}

export type CreateOrgResult =
	{ ok: true; orgId: number; adminInvite: string } | { ok: false; field: 'slug'; message: string };

/**
 * Creates an organization and invites its first admin: a single-use admin invite (returned, to
 * be emailed), whether or not the email has an account. Nobody is made a member without
 * accepting (an existing account sees the invitation on its home page). One transaction, audited.
 */
export function createOrganization(
	db: DB,
	input: NewOrganization,
	by: { actorId: number; ip?: string | null }
): CreateOrgResult {
	return db.transaction((tx) => {
		if (
			tx
				.select({ id: organization.id })
				.from(organization)
				.where(eq(organization.slug, input.slug))
				.get()
		) {
			return {
				ok: false as const,
				field: 'slug' as const,
				message: 'Another organization already uses this address.'
			};
		}
		const now = new Date();
		const orgId = tx
			.insert(organization)
			.values({
				name: input.name,
				slug: input.slug,
				kind: input.kind,
				timeZone: input.timeZone,
				contactName: input.contactName || null,
				contactEmail: input.contactEmail || null,
				createdAt: now
			})
			.returning({ id: organization.id })
			.get().id;
		const adminInvite = createInvite(
			tx,
			orgId,
			{
				role: 'admin',
				groupIds: [],
				maxUses: 1,
				days: 14,
				email: input.firstAdmin.email,
				name: input.firstAdmin.name
			},
			by.actorId
		).token;
		recordAudit(tx, {
			action: 'org.create',
			outcome: 'success',
			actorId: by.actorId,
			ip: by.ip,
			orgId,
			subjectType: 'organization',
			subjectId: input.slug,
			detail: { firstAdmin: input.firstAdmin.email, invited: true }
		});
		return { ok: true as const, orgId, adminInvite };
	});
}

export function addMembership(
	tx: Tx | DB,
	input: {
		orgId: number;
		userId: number;
		role: 'learner' | 'supervisor' | 'admin';
		employeeId?: string | null;
		now?: Date;
	}
): number {
	return tx
		.insert(membership)
		.values({
			orgId: input.orgId,
			userId: input.userId,
			role: input.role,
			employeeId: input.employeeId ?? null,
			createdAt: input.now ?? new Date()
		})
		.returning({ id: membership.id })
		.get().id;
}

export function listOrganizations(db: DB) {
	return db
		.select({
			id: organization.id,
			slug: organization.slug,
			name: organization.name,
			kind: organization.kind,
			members: count(membership.id)
		})
		.from(organization)
		.leftJoin(membership, eq(membership.orgId, organization.id))
		.groupBy(organization.id)
		.orderBy(asc(organization.name))
		.all();
}
