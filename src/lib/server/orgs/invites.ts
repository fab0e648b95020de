import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { and, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { DB, Queryable, Tx } from '../db';
import { groupMember, invite, membership, orgGroup, organization, type Role } from '../db/schema';
import { recordAudit } from '../audit';

const hashToken = (token: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(token)));

export interface InviteOptions {
	role: Role;
	groupIds: number[];
	maxUses: number;
	days: number;
	email?: string;
	name?: string;
	employeeId?: string;
}

/** Creates an invite and returns its token (shown once; only its hash is kept). */
export function createInvite(
	tx: Tx | DB,
	orgId: number,
	opts: InviteOptions,
	createdBy: number | null,
	now = new Date()
): { id: number; token: string } {
	const token = encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(20)));
	const id = tx
		.insert(invite)
		.values({
			orgId,
			tokenHash: hashToken(token),
			role: opts.role,
			groupIds: opts.groupIds,
			email: opts.email?.toLowerCase() ?? null,
			name: opts.name ?? null,
			employeeId: opts.employeeId ?? null,
			maxUses: opts.maxUses,
			expiresAt: new Date(now.getTime() + opts.days * 86_400_000),
			createdBy,
			createdAt: now
		})
		.returning({ id: invite.id })
		.get().id;
	return { id, token };
}

export function listInvites(db: Queryable, orgId: number, now = new Date()) {
	return db
		.select({
			id: invite.id,
			role: invite.role,
			email: invite.email,
			uses: invite.uses,
			maxUses: invite.maxUses,
			expiresAt: invite.expiresAt,
			revokedAt: invite.revokedAt,
			createdAt: invite.createdAt
		})
		.from(invite)
		.where(
			and(
				eq(invite.orgId, orgId),
				isNull(invite.revokedAt),
				gt(invite.expiresAt, now),
				lt(invite.uses, invite.maxUses)
			)
		)
		.orderBy(desc(invite.id))
		.limit(100)
		.all();
}

export function revokeInvite(
	db: DB,
	orgId: number,
	inviteId: number,
	by: { actorId: number; ip?: string | null }
): boolean {
	return db.transaction((tx) => {
		const changed = tx
			.update(invite)
			.set({ revokedAt: new Date() })
			.where(and(eq(invite.id, inviteId), eq(invite.orgId, orgId), isNull(invite.revokedAt)))
			.run().changes;
		if (changed) {
			recordAudit(tx, {
				action: 'invite.revoke',
				outcome: 'success',
				actorId: by.actorId,
				ip: by.ip,
				orgId,
				subjectType: 'invite',
				subjectId: inviteId
			});
		}
		return changed === 1;
	});
}

export interface InviteView {
	orgName: string;
	orgSlug: string;
	role: Role;
	email: string | null;
	name: string | null;
}

/** What the join page may show about a usable invite; null if unknown, used up, expired or revoked. */
export function inspectInvite(db: Queryable, token: string, now = new Date()): InviteView | null {
	const row = db
		.select({
			orgName: organization.name,
			orgSlug: organization.slug,
			role: invite.role,
			email: invite.email,
			name: invite.name
		})
		.from(invite)
		.innerJoin(organization, eq(organization.id, invite.orgId))
		.where(
			and(
				eq(invite.tokenHash, hashToken(token)),
				isNull(invite.revokedAt),
				gt(invite.expiresAt, now),
				lt(invite.uses, invite.maxUses)
			)
		)
		.get();
	return row ?? null;
}

export type AcceptResult =
	| { ok: true; orgSlug: string; membershipId: number; alreadyMember: boolean }
	| { ok: false; reason: 'invalid' | 'deactivated' | 'wrong_email' };

/**
 * Uses an invite for a user, inside the caller's transaction: the use is claimed with a
 * conditional UPDATE, so a link for 30 people admits 30 even if 31 arrive at once.
 */
export function acceptInvite(
	tx: Tx,
	token: string,
	user: { id: number; email: string },
	now = new Date()
): AcceptResult {
	const found = tx
		.select()
		.from(invite)
		.where(eq(invite.tokenHash, hashToken(token)))
		.get();
	if (!found || found.revokedAt || found.expiresAt <= now || found.uses >= found.maxUses)
		return { ok: false, reason: 'invalid' };
	if (found.email && found.email !== user.email) return { ok: false, reason: 'wrong_email' };
	const org = tx
		.select({ slug: organization.slug })
		.from(organization)
		.where(eq(organization.id, found.orgId))
		.get()!;
	const existing = tx
		.select({ id: membership.id, active: membership.active })
		.from(membership)
		.where(and(eq(membership.orgId, found.orgId), eq(membership.userId, user.id)))
		.get();
	if (existing && !existing.active) return { ok: false, reason: 'deactivated' };
	if (existing)
		return { ok: true, orgSlug: org.slug, membershipId: existing.id, alreadyMember: true };
	const claimed = tx
		.update(invite)
		.set({ uses: sql`${invite.uses} + 1` })
		.where(and(eq(invite.id, found.id), lt(invite.uses, invite.maxUses), isNull(invite.revokedAt)))
		.run().changes;
	if (claimed !== 1) return { ok: false, reason: 'invalid' };
	const membershipId = tx
		.insert(membership)
		.values({
			orgId: found.orgId,
			userId: user.id,
			role: found.role,
			employeeId: found.employeeId,
			createdAt: now
		})
		.returning({ id: membership.id })
		.get().id;
	const groups = tx
		.select({ id: orgGroup.id })
		.from(orgGroup)
		.where(eq(orgGroup.orgId, found.orgId))
		.all()
		.map((g) => g.id);
	const granted = found.groupIds.filter((g) => groups.includes(g));
	if (granted.length)
		tx.insert(groupMember)
			.values(granted.map((groupId) => ({ groupId, membershipId })))
			.run();
	recordAudit(tx, {
		action: 'invite.accept',
		outcome: 'success',
		actorId: user.id,
		orgId: found.orgId,
		subjectType: 'membership',
		subjectId: membershipId,
		detail: { inviteId: found.id, role: found.role, groups: granted },
		at: now
	});
	return { ok: true, orgSlug: org.slug, membershipId, alreadyMember: false };
}
