import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Config } from '../config';
import type { DB, Queryable } from '../db';
import { passwordReset, user } from '../db/schema';
import type { Mailer } from '../mail';
import { recordAudit } from '../audit';
import { findUserByEmail, normalizeEmail } from '../users';
import { publicLink } from '../public-origin';
import { createRateLimiter } from '../rate-limit';
import { checkPasswordPolicy, hashPassword } from './password';
import { invalidateUserSessions } from './session';
import { recordAttempt } from './throttle';
import { markEmailVerified } from './verify-email';

function hashToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/**
 * Reset requests allowed per email (normalized, known or not, so a refusal reveals nothing)
 * and per client address, each within an hour. Kept in memory: one server process.
 */
export function createResetLimiter(config: Pick<Config, 'reset'>) {
	const hour = 60 * 60_000;
	const byEmail = createRateLimiter({ limit: config.reset.perEmailPerHour, windowMs: hour });
	const byAddress = createRateLimiter({ limit: config.reset.perAddressPerHour, windowMs: hour });
	return {
		allow(email: string, ip: string, now = Date.now()): boolean {
			// Both are counted, so a refused address does not spend the email's allowance or back.
			const address = byAddress.hit(ip, now);
			if (!address.ok) return false;
			return byEmail.hit(normalizeEmail(email), now).ok;
		}
	};
}

/**
 * Starts a reset request and returns at once, before anything about the email is looked up:
 * the form answers in the same time whether or not the email has an account (and whether or
 * not the mail server is slow). Failures are logged; the person was told "if it exists".
 */
export function queuePasswordReset(
	db: DB,
	config: Config,
	mailer: Mailer,
	input: { email: string; ip: string; now?: Date }
): void {
	setTimeout(() => {
		requestPasswordReset(db, config, mailer, input).catch((error) =>
			console.error('[reset] could not send mail', error)
		);
	}, 0);
}

/**
 * Emails a single-use reset link if the address belongs to an enabled account. The caller
 * shows the same answer either way, so the form reveals nothing about who has an account.
 * The link is built from the configured public origin only; without one, nothing is sent.
 */
export async function requestPasswordReset(
	db: DB,
	config: Config,
	mailer: Mailer,
	input: { email: string; ip: string; now?: Date }
): Promise<void> {
	const now = input.now ?? new Date();
	const found = findUserByEmail(db, input.email);
	if (!found || found.disabledAt) {
		recordAudit(db, {
			action: 'auth.reset_request',
			outcome: 'failure',
			actorEmail: normalizeEmail(input.email),
			ip: input.ip,
			at: now,
			detail: { reason: found ? 'disabled' : 'unknown_email' }
		});
		return;
	}
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	const token = encodeBase32LowerCaseNoPadding(bytes);
	const link = publicLink(config, `/reset/${token}`);
	if (!link) return;
	const expiresAt = new Date(now.getTime() + config.resetLinkMinutes * 60_000);
	db.transaction((tx) => {
		tx.insert(passwordReset)
			.values({ tokenHash: hashToken(token), userId: found.id, createdAt: now, expiresAt })
			.run();
		recordAudit(tx, {
			action: 'auth.reset_request',
			outcome: 'success',
			actorId: found.id,
			ip: input.ip,
			at: now
		});
	});
	await mailer.send({
		to: found.email,
		subject: `Reset your ${config.instanceName} password`,
		text: [
			`Hello ${found.name},`,
			'',
			`Someone (we hope you) asked to reset the password of your ${config.instanceName} account.`,
			`Open this link within ${config.resetLinkMinutes} minutes to choose a new password. It works once.`,
			'',
			link,
			'',
			'If you did not ask for this, ignore this message: your password stays as it is.'
		].join('\n')
	});
}

/**
 * Ends every reset link of a user still outstanding: called whenever the password changes
 * (by a reset or on the account page), so a link mailed before no longer works after.
 */
export function endResetLinks(db: Queryable, userId: number, now = new Date()): void {
	db.update(passwordReset)
		.set({ usedAt: now })
		.where(and(eq(passwordReset.userId, userId), isNull(passwordReset.usedAt)))
		.run();
}

export type ResetLinkState = { usable: true; email: string } | { usable: false };

/** Whether a reset link can still be used (shown before the form, never consumed by a GET). */
export function inspectResetToken(db: DB, token: string, now = new Date()): ResetLinkState {
	const row = db
		.select({ email: user.email, disabledAt: user.disabledAt })
		.from(passwordReset)
		.innerJoin(user, eq(user.id, passwordReset.userId))
		.where(
			and(
				eq(passwordReset.tokenHash, hashToken(token)),
				isNull(passwordReset.usedAt),
				gt(passwordReset.expiresAt, now)
			)
		)
		.get();
	return row && !row.disabledAt ? { usable: true, email: row.email } : { usable: false };
}

export type ResetResult =
	| { ok: true; userId: number }
	| { ok: false; reason: 'invalid_link' }
	| { ok: false; reason: 'weak_password'; message: string };

/**
 * Sets a new password through a reset link. The link is claimed with a conditional UPDATE so
 * two submissions cannot both use it; all of the user's sessions end.
 */
export async function completePasswordReset(
	db: DB,
	input: { token: string; password: string; ip: string; now?: Date }
): Promise<ResetResult> {
	const now = input.now ?? new Date();
	const state = inspectResetToken(db, input.token, now);
	if (!state.usable) return { ok: false, reason: 'invalid_link' };
	const weak = checkPasswordPolicy(input.password, [state.email]);
	if (weak) return { ok: false, reason: 'weak_password', message: weak };
	const passwordHash = await hashPassword(input.password);
	return db.transaction((tx) => {
		const claimed = tx
			.update(passwordReset)
			.set({ usedAt: now })
			.where(
				and(
					eq(passwordReset.tokenHash, hashToken(input.token)),
					isNull(passwordReset.usedAt),
					gt(passwordReset.expiresAt, now)
				)
			)
			.returning({ userId: passwordReset.userId })
			.get();
		if (!claimed) return { ok: false as const, reason: 'invalid_link' as const };
		const changed = tx
			.update(user)
			.set({ passwordHash, passwordChangedAt: now })
			.where(eq(user.id, claimed.userId))
			.returning({ email: user.email })
			.get();
		invalidateUserSessions(tx, claimed.userId);
		endResetLinks(tx, claimed.userId, now);
		// Proof of owning the mailbox ends a sign-in lock on the account (see throttle.ts).
		if (changed) recordAttempt(tx, normalizeEmail(changed.email), input.ip, true, now);
		// The link came to the account's mailbox: that proves the address, as a verification link does.
		markEmailVerified(tx, claimed.userId, 'reset', now, input.ip);
		recordAudit(tx, {
			action: 'auth.reset_complete',
			outcome: 'success',
			actorId: claimed.userId,
			ip: input.ip,
			at: now
		});
		return { ok: true as const, userId: claimed.userId };
	});
}
