import { and, eq, inArray } from 'drizzle-orm';
import type { DB, Queryable } from './db';
import { membership, user } from './db/schema';
import { hashPassword } from './auth/password';
import { invalidateUserSessions } from './auth/session';
import { expireIfUnverified, isExpiredUnverified } from './auth/verify-email';
import { recordAudit } from './audit';

export const EMAIL_MAX = 254;
export const NAME_MAX = 120;

/** Emails are compared trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
	return email.trim().toLowerCase();
}

export interface UserRow {
	id: number;
	email: string;
	name: string;
	passwordHash: string;
	isInstanceAdmin: boolean;
	disabledAt: Date | null;
	emailVerifiedAt: Date | null;
}

/**
 * The account with this email. An unverified account past its 7 days is expired on the way
 * (disabled, email released) and not returned: the address is free for its owner again.
 */
export function findUserByEmail(
	db: Queryable,
	email: string,
	now = new Date()
): UserRow | undefined {
	const row = db
		.select({
			id: user.id,
			email: user.email,
			name: user.name,
			passwordHash: user.passwordHash,
			isInstanceAdmin: user.isInstanceAdmin,
			disabledAt: user.disabledAt,
			emailVerifiedAt: user.emailVerifiedAt,
			createdAt: user.createdAt
		})
		.from(user)
		.where(eq(user.email, normalizeEmail(email)))
		.get();
	if (!row) return undefined;
	if (isExpiredUnverified(row, now)) {
		expireIfUnverified(db, row.id, now);
		return undefined;
	}
	const { createdAt: _created, ...found } = row;
	return found;
}

/** Staff (instance administrators, and supervisors or admins anywhere) get shorter sessions. */
export function isStaff(db: Queryable, userId: number): boolean {
	const row = db
		.select({ admin: user.isInstanceAdmin })
		.from(user)
		.where(eq(user.id, userId))
		.get();
	if (row?.admin) return true;
	const staff = db
		.select({ id: membership.id })
		.from(membership)
		.where(
			and(
				eq(membership.userId, userId),
				eq(membership.active, true),
				inArray(membership.role, ['supervisor', 'admin'])
			)
		)
		.get();
	return staff !== undefined;
}

export async function createUser(
	db: DB,
	input: {
		email: string;
		name: string;
		password: string;
		isInstanceAdmin?: boolean;
		/** Accounts an operator creates (CLI, seeding, tests) are verified unless told otherwise. */
		emailVerified?: boolean;
	}
): Promise<number> {
	const passwordHash = await hashPassword(input.password);
	const now = new Date();
	const row = db
		.insert(user)
		.values({
			email: normalizeEmail(input.email),
			name: input.name.trim(),
			passwordHash,
			isInstanceAdmin: input.isInstanceAdmin ?? false,
			emailVerifiedAt: input.emailVerified === false ? null : now,
			passwordChangedAt: now,
			createdAt: now
		})
		.returning({ id: user.id })
		.get();
	return row.id;
}

/** Disables an account and ends its sessions at once, in one transaction, audited. */
export function setUserDisabled(
	db: DB,
	userId: number,
	disabled: boolean,
	by: { actorId: number; ip?: string | null }
): boolean {
	return db.transaction((tx) => {
		const changed = tx
			.update(user)
			.set({ disabledAt: disabled ? new Date() : null })
			.where(eq(user.id, userId))
			.run().changes;
		if (changed === 0) return false;
		if (disabled) invalidateUserSessions(tx, userId);
		recordAudit(tx, {
			action: disabled ? 'user.disable' : 'user.enable',
			outcome: 'success',
			actorId: by.actorId,
			ip: by.ip,
			subjectType: 'user',
			subjectId: userId
		});
		return true;
	});
}

/**
 * Creates an instance administrator, or resets an existing account to one: new password,
 * enabled, every session ended. Used by `npm run admin:create`; audited as the command line.
 */
export async function upsertInstanceAdmin(
	db: DB,
	input: { email: string; name?: string; password: string }
): Promise<{ id: number; created: boolean }> {
	const email = normalizeEmail(input.email);
	const passwordHash = await hashPassword(input.password);
	const now = new Date();
	return db.transaction((tx) => {
		const existing = tx.select({ id: user.id }).from(user).where(eq(user.email, email)).get();
		let id: number;
		if (existing) {
			id = existing.id;
			tx.update(user)
				.set({
					passwordHash,
					passwordChangedAt: now,
					isInstanceAdmin: true,
					disabledAt: null,
					emailVerifiedAt: now,
					...(input.name ? { name: input.name.trim() } : {})
				})
				.where(eq(user.id, id))
				.run();
			invalidateUserSessions(tx, id);
		} else {
			id = tx
				.insert(user)
				.values({
					email,
					name: input.name?.trim() || email,
					passwordHash,
					isInstanceAdmin: true,
					emailVerifiedAt: now,
					createdAt: now,
					passwordChangedAt: now
				})
				.returning({ id: user.id })
				.get().id;
		}
		recordAudit(tx, {
			action: existing ? 'admin.reset_instance_admin' : 'admin.create_instance_admin',
			outcome: 'success',
			actorEmail: 'command line',
			subjectType: 'user',
			subjectId: id,
			at: now
		});
		return { id, created: !existing };
	});
}
