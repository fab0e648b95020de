import { eq } from 'drizzle-orm';
import type { DB, Queryable } from './db';
import { user } from './db/schema';
import { hashPassword } from './auth/password';
import { invalidateUserSessions } from './auth/session';
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
}

export function findUserByEmail(db: Queryable, email: string): UserRow | undefined {
	return db
		.select({
			id: user.id,
			email: user.email,
			name: user.name,
			passwordHash: user.passwordHash,
			isInstanceAdmin: user.isInstanceAdmin,
			disabledAt: user.disabledAt
		})
		.from(user)
		.where(eq(user.email, normalizeEmail(email)))
		.get();
}

/** Staff (administrators, supervisors) get shorter sessions. */
export function isStaff(db: Queryable, userId: number): boolean {
	const row = db
		.select({ admin: user.isInstanceAdmin })
		.from(user)
		.where(eq(user.id, userId))
		.get();
	return row?.admin ?? false;
}

export async function createUser(
	db: DB,
	input: { email: string; name: string; password: string; isInstanceAdmin?: boolean }
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
