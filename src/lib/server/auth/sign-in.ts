import type { Config } from '../config';
import type { DB } from '../db';
import { recordAudit } from '../audit';
import { findUserByEmail, isStaff, normalizeEmail } from '../users';
import { verifyDecoy, verifyPassword } from './password';
import { createSession } from './session';
import { checkThrottle, holdAttempt, recordAttempt } from './throttle';
import { hasMfa, mfaRequired } from '../mfa/factors';
import { createPending } from '../mfa/pending';

/**
 * A flood of sign-ins from one paused address must not become a flood of synchronous audit
 * writes: such refusals are recorded once a minute per address, with how many were not.
 * Returns null to skip the entry, else the number skipped since the last one. (Refusals of a
 * locked account are always recorded.)
 */
const floods = new Map<string, { loggedAt: number; skipped: number }>();
function floodCount(ip: string, now: Date): number | null {
	const seen = floods.get(ip);
	if (seen && now.getTime() - seen.loggedAt < 60_000) {
		seen.skipped += 1;
		return null;
	}
	if (floods.size > 10_000) floods.clear();
	floods.set(ip, { loggedAt: now.getTime(), skipped: 0 });
	return seen?.skipped ?? 0;
}

export type SignInResult =
	| { ok: true; userId: number; token: string; expiresAt: Date; mustEnrolMfa: boolean }
	/** The password was right; a half-session now waits for the second factor. */
	| { ok: false; reason: 'second_factor'; pendingToken: string; expiresAt: Date }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'locked'; scope: 'account' | 'address'; retryAt: Date };

/**
 * Signs a user in. The throttle answers before any hashing; unknown emails cost a decoy
 * verification so timing does not reveal which emails exist; every outcome is audited.
 */
export async function signIn(
	db: DB,
	config: Config,
	input: { email: string; password: string; ip: string; next?: string; now?: Date }
): Promise<SignInResult> {
	const now = input.now ?? new Date();
	const emailKey = normalizeEmail(input.email);
	const audit = { actorEmail: emailKey, ip: input.ip, at: now };

	const throttle = checkThrottle(db, config, emailKey, input.ip, now);
	if (throttle.limited) {
		const suppressed = throttle.scope === 'address' ? floodCount(input.ip, now) : 0;
		if (suppressed !== null) {
			recordAudit(db, {
				...audit,
				action: 'auth.sign_in',
				outcome: 'denied',
				detail: {
					reason: `${throttle.scope}_locked`,
					retryAt: throttle.retryAt.toISOString(),
					...(suppressed ? { similarSinceLastEntry: suppressed } : {})
				}
			});
		}
		return { ok: false, reason: 'locked', scope: throttle.scope, retryAt: throttle.retryAt };
	}

	const found = findUserByEmail(db, emailKey);
	let valid = false;
	const release = holdAttempt(emailKey, input.ip);
	try {
		if (found) valid = await verifyPassword(found.passwordHash, input.password);
		else await verifyDecoy(input.password);
	} finally {
		release();
	}

	if (!found || !valid || found.disabledAt) {
		const reason = !found ? 'unknown_email' : !valid ? 'wrong_password' : 'disabled';
		db.transaction((tx) => {
			recordAttempt(tx, emailKey, input.ip, false, now);
			recordAudit(tx, {
				...audit,
				actorId: found?.id,
				action: 'auth.sign_in',
				outcome: 'failure',
				detail: { reason }
			});
		});
		const after = checkThrottle(db, config, emailKey, input.ip, now);
		if (after.limited && after.scope === 'account') {
			recordAudit(db, {
				...audit,
				actorId: found?.id,
				action: 'auth.lockout',
				outcome: 'success',
				detail: { until: after.retryAt.toISOString() }
			});
		}
		return { ok: false, reason: 'invalid' };
	}

	return db.transaction((tx) => {
		if (hasMfa(tx, found.id)) {
			// No success is recorded yet: it would clear the throttle's count, and the second
			// step's wrong codes must add up with wrong passwords until the whole sign-in succeeds.
			const pending = createPending(tx, found.id, { next: input.next ?? '/', ip: input.ip, now });
			recordAudit(tx, {
				...audit,
				actorId: found.id,
				action: 'auth.mfa_challenge',
				outcome: 'success'
			});
			return {
				ok: false as const,
				reason: 'second_factor' as const,
				pendingToken: pending.token,
				expiresAt: pending.expiresAt
			};
		}
		recordAttempt(tx, emailKey, input.ip, true, now);
		const mustEnrolMfa = mfaRequired(tx, found.id);
		const session = createSession(tx, config, found.id, {
			staff: isStaff(tx, found.id),
			ip: input.ip,
			now,
			mustEnrolMfa
		});
		recordAudit(tx, {
			...audit,
			actorId: found.id,
			action: 'auth.sign_in',
			outcome: 'success',
			...(mustEnrolMfa ? { detail: { mfa: 'enrolment_required' } } : {})
		});
		return { ok: true as const, userId: found.id, mustEnrolMfa, ...session };
	});
}
