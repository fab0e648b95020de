import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { and, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { DB, Queryable, Tx } from '../db';
import { literalLimit, prepared } from '../db/prepared';
import { groupMember, invite, membership, orgGroup, organization, type Role } from '../db/schema';
import { recordAudit } from '../audit';
import { markEmailVerified } from '../auth/verify-email';

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
				isNull(invite.declinedAt),
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
				isNull(invite.declinedAt),
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

type InviteRow = typeof invite.$inferSelect;

const open = (now: Date) =>
	and(
		isNull(invite.revokedAt),
		isNull(invite.declinedAt),
		gt(invite.expiresAt, now),
		lt(invite.uses, invite.maxUses)
	);

/**
 * Uses an invite for a user, inside the caller's transaction: the use is claimed with a
 * conditional UPDATE, so a link for 30 people admits 30 even if 31 arrive at once. A personal
 * invite (one email) is only for the account with that email, and using its token proves the
 * person reads that mailbox, so it also verifies the account's email.
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
	if (!found || found.revokedAt || found.declinedAt || found.expiresAt <= now)
		return { ok: false, reason: 'invalid' };
	if (found.uses >= found.maxUses) return { ok: false, reason: 'invalid' };
	if (found.email && found.email !== user.email) return { ok: false, reason: 'wrong_email' };
	if (found.email) markEmailVerified(tx, user.id, 'invite', now);
	return admit(tx, found, user.id, now, 'link');
}

/**
 * The consent step every membership goes through: the person themselves accepted (a link, or
 * the invitation on their home page). Claims one use, then creates the membership, or brings
 * back one the person had left. A membership an admin deactivated stays so.
 */
function admit(
	tx: Tx,
	found: InviteRow,
	userId: number,
	now: Date,
	via: 'link' | 'invitation'
): AcceptResult {
	const org = tx
		.select({ slug: organization.slug })
		.from(organization)
		.where(eq(organization.id, found.orgId))
		.get()!;
	const existing = tx
		.select({ id: membership.id, active: membership.active, leftAt: membership.leftAt })
		.from(membership)
		.where(and(eq(membership.orgId, found.orgId), eq(membership.userId, userId)))
		.get();
	if (existing && !existing.active && !existing.leftAt) return { ok: false, reason: 'deactivated' };
	if (existing?.active)
		return { ok: true, orgSlug: org.slug, membershipId: existing.id, alreadyMember: true };
	const claimed = tx
		.update(invite)
		.set({ uses: sql`${invite.uses} + 1` })
		.where(and(eq(invite.id, found.id), open(now)))
		.run().changes;
	if (claimed !== 1) return { ok: false, reason: 'invalid' };
	let membershipId: number;
	if (existing) {
		// They left and now accept a new invitation: the same row comes back, with the invite's role.
		membershipId = existing.id;
		tx.update(membership)
			.set({ active: true, leftAt: null, role: found.role, employeeId: found.employeeId })
			.where(eq(membership.id, existing.id))
			.run();
	} else {
		membershipId = tx
			.insert(membership)
			.values({
				orgId: found.orgId,
				userId,
				role: found.role,
				employeeId: found.employeeId,
				createdAt: now
			})
			.returning({ id: membership.id })
			.get().id;
	}
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
			.onConflictDoNothing()
			.run();
	recordAudit(tx, {
		action: 'invite.accept',
		outcome: 'success',
		actorId: userId,
		orgId: found.orgId,
		subjectType: 'membership',
		subjectId: membershipId,
		detail: {
			inviteId: found.id,
			role: found.role,
			groups: granted,
			via,
			...(existing ? { rejoined: true } : {})
		},
		at: now
	});
	return { ok: true, orgSlug: org.slug, membershipId, alreadyMember: false };
}

export interface Invitation {
	id: number;
	orgName: string;
	role: Role;
	expiresAt: Date;
}

/**
 * The open personal invitations addressed to a person's email, for their home page and
 * account page. None at all until the email is verified: an account made with someone else's
 * address never sees (or accepts) what an organization sent to that address.
 */
export function listInvitationsFor(
	db: Queryable,
	viewer: { id: number; email: string; emailVerified: boolean },
	now = new Date()
): Invitation[] {
	if (!viewer.emailVerified) return [];
	// On every signed-in page (the layout's notice): prepared once, and nothing more to read
	// for the usual person with no open invitation.
	const rows = prepared(db, 'invites.openFor', (db) =>
		db
			.select({
				id: invite.id,
				orgId: invite.orgId,
				orgName: organization.name,
				role: invite.role,
				expiresAt: invite.expiresAt
			})
			.from(invite)
			.innerJoin(organization, eq(organization.id, invite.orgId))
			.where(
				and(
					eq(invite.email, sql.placeholder('email')),
					isNull(invite.revokedAt),
					isNull(invite.declinedAt),
					gt(invite.expiresAt, sql.placeholder('now')),
					lt(invite.uses, invite.maxUses)
				)
			)
			.orderBy(desc(invite.id))
			.limit(literalLimit(50))
			.prepare()
	).all({ email: viewer.email, now: now.getTime() });
	if (!rows.length) return [];
	const activeOrgs = new Set(
		db
			.select({ orgId: membership.orgId })
			.from(membership)
			.where(and(eq(membership.userId, viewer.id), eq(membership.active, true)))
			.all()
			.map((m) => m.orgId)
	);
	// One invitation per organization (the newest), none from organizations they are in.
	const seen = new Set<number>();
	return rows
		.filter((r) => !activeOrgs.has(r.orgId) && !seen.has(r.orgId) && seen.add(r.orgId))
		.map(({ orgId: _o, ...r }) => r);
}

export type RespondResult =
	| { ok: true; orgSlug: string; orgName: string; accepted: boolean }
	| { ok: false; reason: 'invalid' | 'deactivated' | 'unverified' };

/**
 * Accepts or declines a personal invitation from the person's own pages (no token: the
 * invitation is found by id and must be addressed to the viewer's verified email). Declining
 * marks every open invitation of that organization to this address, audited; accepting admits.
 */
export function respondToInvitation(
	db: DB,
	inviteId: number,
	viewer: { id: number; email: string; emailVerified: boolean; ip?: string | null },
	accept: boolean,
	now = new Date()
): RespondResult {
	if (!viewer.emailVerified) return { ok: false, reason: 'unverified' };
	return db.transaction((tx) => {
		const found = tx
			.select()
			.from(invite)
			.where(and(eq(invite.id, inviteId), eq(invite.email, viewer.email), open(now)))
			.get();
		if (!found) return { ok: false as const, reason: 'invalid' as const };
		const org = tx
			.select({ slug: organization.slug, name: organization.name })
			.from(organization)
			.where(eq(organization.id, found.orgId))
			.get()!;
		if (accept) {
			const result = admit(tx, found, viewer.id, now, 'invitation');
			if (!result.ok)
				return {
					ok: false as const,
					reason: result.reason === 'deactivated' ? ('deactivated' as const) : ('invalid' as const)
				};
			return { ok: true as const, orgSlug: org.slug, orgName: org.name, accepted: true };
		}
		tx.update(invite)
			.set({ declinedAt: now })
			.where(and(eq(invite.orgId, found.orgId), eq(invite.email, viewer.email), open(now)))
			.run();
		recordAudit(tx, {
			action: 'invite.decline',
			outcome: 'success',
			actorId: viewer.id,
			ip: viewer.ip,
			orgId: found.orgId,
			subjectType: 'invite',
			subjectId: found.id,
			at: now
		});
		return { ok: true as const, orgSlug: org.slug, orgName: org.name, accepted: false };
	});
}
