import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { decodeBase32IgnorePadding, encodeBase32UpperCaseNoPadding } from '@oslojs/encoding';
import { createTOTPKeyURI, generateHOTP } from '@oslojs/otp';
import { and, eq, isNotNull, isNull, lt, or } from 'drizzle-orm';
import type { Queryable } from '../db';
import { totpFactor } from '../db/schema';

export const TOTP_PERIOD = 30;
export const TOTP_DIGITS = 6;

/** The time step (RFC 6238 counter) a moment falls in. */
export function totpStep(now: Date): number {
	return Math.floor(now.getTime() / 1000 / TOTP_PERIOD);
}

/** The code an app shows for a base32 secret at a step (used by tests and nothing else). */
export function totpCode(secret: string, step: number): string {
	return generateHOTP(decodeBase32IgnorePadding(secret), BigInt(step), TOTP_DIGITS);
}

/** A new 160-bit secret, base32 as authenticator apps take it. */
export function newTotpSecret(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32UpperCaseNoPadding(bytes);
}

export function totpUri(secret: string, issuer: string, account: string): string {
	return createTOTPKeyURI(
		issuer,
		account,
		decodeBase32IgnorePadding(secret),
		TOTP_PERIOD,
		TOTP_DIGITS
	);
}

/** Digits only: apps show "123 456"; people type spaces. Null when it cannot be a code. */
export function normalizeTotp(code: string): string | null {
	const digits = code.replace(/[\s-]/g, '');
	return /^\d{6}$/.test(digits) ? digits : null;
}

/**
 * The step a code belongs to, within one step of clock drift either way, if it is later than
 * the last step this factor accepted (a code works once, and no older code works after it).
 */
export function matchStep(
	secret: string,
	code: string,
	now: Date,
	lastStep: number | null
): number | null {
	const given = new TextEncoder().encode(code);
	const key = decodeBase32IgnorePadding(secret);
	const current = totpStep(now);
	let found: number | null = null;
	for (const step of [current - 1, current, current + 1]) {
		const expected = new TextEncoder().encode(generateHOTP(key, BigInt(step), TOTP_DIGITS));
		// Every candidate is compared, so timing does not say which one matched.
		if (constantTimeEqual(expected, given) && found === null) found = step;
	}
	if (found === null || (lastStep !== null && found <= lastStep)) return null;
	return found;
}

/**
 * Checks a code against a user's confirmed apps and claims its step with a conditional UPDATE,
 * so two submissions of one code cannot both pass. Returns the factor id, or null.
 */
export function useTotp(db: Queryable, userId: number, code: string, now: Date): number | null {
	const digits = normalizeTotp(code);
	if (!digits) return null;
	const factors = db
		.select({ id: totpFactor.id, secret: totpFactor.secret, lastStep: totpFactor.lastStep })
		.from(totpFactor)
		.where(
			and(
				eq(totpFactor.userId, userId),
				isNotNull(totpFactor.confirmedAt),
				isNull(totpFactor.removedAt)
			)
		)
		.all();
	for (const f of factors) {
		const step = matchStep(f.secret, digits, now, f.lastStep);
		if (step === null) continue;
		const claimed = db
			.update(totpFactor)
			.set({ lastStep: step, lastUsedAt: now })
			.where(
				and(eq(totpFactor.id, f.id), or(isNull(totpFactor.lastStep), lt(totpFactor.lastStep, step)))
			)
			.run().changes;
		if (claimed) return f.id;
	}
	return null;
}
