import { eq } from 'drizzle-orm';
import type { Config } from '../config';
import type { DB } from '../db';
import { user } from '../db/schema';
import { recordAudit } from '../audit';
import { isStaff } from '../users';
import { checkPasswordPolicy, hashPassword, verifyPassword } from './password';
import { createSession, invalidateUserSessions } from './session';
import { checkThrottle, recordAttempt } from './throttle';
import { endResetLinks } from './reset';

export type ChangeResult =
	| { ok: true; token: string; expiresAt: Date }
	| { ok: false; field: 'current' | 'password' | 'form'; message: string };

/**
 * Changes a signed-in user's password. The current password is checked under the same
 * throttle as sign-in; on success every session ends and this device gets a fresh one.
 */
export async function changePassword(
	db: DB,
	config: Config,
	userId: number,
	input: { current: string; next: string; ip: string; now?: Date }
): Promise<ChangeResult> {
	const now = input.now ?? new Date();
	const row = db
		.select({ email: user.email, name: user.name, hash: user.passwordHash })
		.from(user)
		.where(eq(user.id, userId))
		.get();
	if (!row) return { ok: false, field: 'form', message: 'Your account could not be found.' };
	const throttle = checkThrottle(db, config, row.email, input.ip, now);
	if (throttle.limited) {
		return {
			ok: false,
			field: 'form',
			message: 'Too many wrong passwords. Wait 15 minutes and try again.'
		};
	}
	if (!(await verifyPassword(row.hash, input.current))) {
		db.transaction((tx) => {
			recordAttempt(tx, row.email, input.ip, false, now);
			recordAudit(tx, {
				action: 'auth.password_change',
				outcome: 'failure',
				actorId: userId,
				ip: input.ip,
				at: now,
				detail: { reason: 'wrong_password' }
			});
		});
		return { ok: false, field: 'current', message: 'That is not your current password.' };
	}
	const weak = checkPasswordPolicy(input.next, [row.email, row.name]);
	if (weak) return { ok: false, field: 'password', message: weak };
	const passwordHash = await hashPassword(input.next);
	return db.transaction((tx) => {
		tx.update(user).set({ passwordHash, passwordChangedAt: now }).where(eq(user.id, userId)).run();
		invalidateUserSessions(tx, userId);
		// A reset link mailed before the change must not undo it.
		endResetLinks(tx, userId, now);
		const session = createSession(tx, config, userId, {
			staff: isStaff(tx, userId),
			ip: input.ip,
			now
		});
		recordAudit(tx, {
			action: 'auth.password_change',
			outcome: 'success',
			actorId: userId,
			ip: input.ip,
			at: now
		});
		return { ok: true as const, ...session };
	});
}
