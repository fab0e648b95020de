import type { Config } from '../config';
import type { Queryable } from '../db';
import { createRateLimiter } from '../rate-limit';
import { normalizeCode } from './code';
import { findCertificateByCode, reasonLabel, statusOf, type CertificateStatus } from './status';

let limiter: ReturnType<typeof createRateLimiter> | undefined;

/** Public look-ups per address: enough for a person or an HR office, not for guessing codes. */
export function allowVerification(
	config: Config,
	address: string
): { ok: true } | { ok: false; retryAfterSeconds: number } {
	limiter ??= createRateLimiter({ limit: config.verifyPerMinute, windowMs: 60_000 });
	return limiter.hit(address);
}

/** What the public verification page shows, and nothing more. */
export interface PublicCertificate {
	status: CertificateStatus;
	holderName: string;
	courseTitle: string;
	issuer: string;
	completedAt: Date;
	expiresAt: Date | null;
	revokedAt: Date | null;
	revocationReason: string | null;
}

export function verifyCertificate(
	db: Queryable,
	rawCode: string,
	now = new Date()
): PublicCertificate | null {
	const code = normalizeCode(rawCode);
	if (!code) return null;
	const c = findCertificateByCode(db, code);
	if (!c) return null;
	return {
		status: statusOf(c, now),
		holderName: c.holderName,
		courseTitle: c.courseTitle,
		issuer: c.issuer,
		completedAt: c.completedAt,
		expiresAt: c.expiresAt,
		revokedAt: c.revokedAt,
		revocationReason: c.revocationReason ? reasonLabel(c.revocationReason) : null
	};
}
