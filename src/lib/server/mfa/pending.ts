import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { eq } from 'drizzle-orm';
import type { Config } from '../config';
import type { DB, Queryable } from '../db';
import { mfaPending, user } from '../db/schema';
import { recordAudit } from '../audit';
import { isStaff, normalizeEmail } from '../users';
import { createSession } from '../auth/session';
import { checkThrottle, holdAttempt, recordAttempt } from '../auth/throttle';
import { listFactors } from './factors';
import { usePasskey, type RelyingParty } from './passkey';
import { useRecoveryCode } from './recovery';
import { useTotp } from './totp';

export const MFA_COOKIE = 'muster_mfa';
export const PENDING_MINUTES = 10;

function randomString(bytes: number): string {
	const buf = new Uint8Array(bytes);
	crypto.getRandomValues(buf);
	return encodeBase32LowerCaseNoPadding(buf);
}

function hashSecret(secret: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(secret)));
}

/** After a correct password: a half-session that opens the second step and nothing else. */
export function createPending(
	db: Queryable,
	userId: number,
	opts: { next: string; ip?: string | null; now: Date }
): { token: string; expiresAt: Date } {
	const id = randomString(15);
	const secret = randomString(20);
	const expiresAt = new Date(opts.now.getTime() + PENDING_MINUTES * 60_000);
	db.insert(mfaPending)
		.values({
			id,
			secretHash: hashSecret(secret),
			userId,
			next: opts.next,
			createdAt: opts.now,
			expiresAt,
			ip: opts.ip ?? null
		})
		.run();
	return { token: `${id}.${secret}`, expiresAt };
}

export interface Pending {
	id: string;
	userId: number;
	email: string;
	next: string;
}

/** The live pending sign-in a cookie names, or null (expired ones are removed). */
export function validatePending(db: Queryable, token: string, now = new Date()): Pending | null {
	const [id, secret, extra] = token.split('.');
	if (!id || !secret || extra !== undefined || id.length > 64 || secret.length > 64) return null;
	const row = db
		.select({
			id: mfaPending.id,
			secretHash: mfaPending.secretHash,
			userId: mfaPending.userId,
			next: mfaPending.next,
			expiresAt: mfaPending.expiresAt,
			email: user.email,
			disabledAt: user.disabledAt
		})
		.from(mfaPending)
		.innerJoin(user, eq(user.id, mfaPending.userId))
		.where(eq(mfaPending.id, id))
		.get();
	if (!row) return null;
	const given = new TextEncoder().encode(hashSecret(secret));
	if (!constantTimeEqual(given, new TextEncoder().encode(row.secretHash))) return null;
	if (row.disabledAt || row.expiresAt <= now) {
		db.delete(mfaPending).where(eq(mfaPending.id, row.id)).run();
		return null;
	}
	return { id: row.id, userId: row.userId, email: row.email, next: row.next };
}

export function pendingMethods(db: Queryable, userId: number) {
	const f = listFactors(db, userId);
	return { app: f.apps.length > 0, passkey: f.passkeys.length > 0, recovery: f.recoveryLeft > 0 };
}

export type SecondFactor =
	| { method: 'app'; code: string }
	| { method: 'recovery'; code: string }
	| { method: 'passkey'; response: string; rp: RelyingParty };

export type SecondStepResult =
	| {
			ok: true;
			userId: number;
			token: string;
			expiresAt: Date;
			next: string;
			recoveryLeft: number | null;
	  }
	| { ok: false; reason: 'expired' }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'locked'; retryAt: Date };

/**
 * The second step of signing in. It shares the password's throttle (same table, same email key
 * and address, same limits), so a stolen password buys no more guesses at a code than at the
 * password itself. Success ends the half-session and starts a real one.
 */
export async function completeSecondStep(
	db: DB,
	config: Config,
	input: { token: string; factor: SecondFactor; ip: string; now?: Date }
): Promise<SecondStepResult> {
	const now = input.now ?? new Date();
	const pending = validatePending(db, input.token, now);
	if (!pending) return { ok: false, reason: 'expired' };
	const emailKey = normalizeEmail(pending.email);
	const audit = { actorId: pending.userId, actorEmail: emailKey, ip: input.ip, at: now };
	const throttle = checkThrottle(db, config, emailKey, input.ip, now);
	if (throttle.limited) {
		recordAudit(db, {
			...audit,
			action: 'auth.mfa',
			outcome: 'denied',
			detail: { method: input.factor.method, reason: `${throttle.scope}_locked` }
		});
		return { ok: false, reason: 'locked', retryAt: throttle.retryAt };
	}

	const f = input.factor;
	let passkeyId: number | null = null;
	if (f.method === 'passkey') {
		const release = holdAttempt(emailKey, input.ip);
		try {
			passkeyId = await usePasskey(db, f.rp, {
				userId: pending.userId,
				pendingId: pending.id,
				response: f.response,
				now
			});
		} finally {
			release();
		}
	}

	const outcome = db.transaction((tx) => {
		const ok =
			f.method === 'passkey'
				? passkeyId !== null
				: f.method === 'app'
					? useTotp(tx, pending.userId, f.code, now) !== null
					: useRecoveryCode(tx, pending.userId, f.code, now);
		if (!ok) {
			recordAttempt(tx, emailKey, input.ip, false, now);
			recordAudit(tx, {
				...audit,
				action: 'auth.mfa',
				outcome: 'failure',
				detail: { method: f.method }
			});
			return null;
		}
		const claimed = tx.delete(mfaPending).where(eq(mfaPending.id, pending.id)).run().changes;
		if (!claimed) return 'expired' as const;
		recordAttempt(tx, emailKey, input.ip, true, now);
		const session = createSession(tx, config, pending.userId, {
			staff: isStaff(tx, pending.userId),
			ip: input.ip,
			now
		});
		if (f.method === 'recovery') {
			recordAudit(tx, { ...audit, action: 'auth.recovery_code_used', outcome: 'success' });
		}
		recordAudit(tx, {
			...audit,
			action: 'auth.sign_in',
			outcome: 'success',
			detail: { mfa: f.method }
		});
		return session;
	});
	if (outcome === 'expired') return { ok: false, reason: 'expired' };
	if (!outcome) {
		const after = checkThrottle(db, config, emailKey, input.ip, now);
		if (after.limited && after.scope === 'account') {
			recordAudit(db, {
				...audit,
				action: 'auth.lockout',
				outcome: 'success',
				detail: { until: after.retryAt.toISOString() }
			});
		}
		return { ok: false, reason: 'invalid' };
	}
	return {
		ok: true,
		userId: pending.userId,
		next: pending.next,
		recoveryLeft: f.method === 'recovery' ? listFactors(db, pending.userId).recoveryLeft : null,
		...outcome
	};
}
