import { and, count, desc, eq, gt, max } from 'drizzle-orm';
import type { Config } from '../config';
import type { Queryable } from '../db';
import { signInAttempt } from '../db/schema';

export type Throttle =
	{ limited: false } | { limited: true; scope: 'account' | 'address'; retryAt: Date };

/**
 * Decides, before any password is hashed, whether a sign-in may even be tried. An account
 * (any email typed, known or not, so a lock reveals nothing) locks after `maxFailures`
 * failures within the window since its last success; an address after `maxFailuresPerAddress`.
 */
export function checkThrottle(
	db: Queryable,
	config: Config,
	emailKey: string,
	ip: string,
	now = new Date()
): Throttle {
	const { maxFailures, windowMinutes, lockMinutes, maxFailuresPerAddress } = config.signIn;
	const windowStart = new Date(now.getTime() - windowMinutes * 60_000);
	const lastOk = db
		.select({ at: max(signInAttempt.at) })
		.from(signInAttempt)
		.where(and(eq(signInAttempt.emailKey, emailKey), eq(signInAttempt.ok, true)))
		.get()?.at;
	const since = lastOk && lastOk > windowStart ? lastOk : windowStart;
	const accountFailures = db
		.select({ at: signInAttempt.at })
		.from(signInAttempt)
		.where(
			and(
				eq(signInAttempt.emailKey, emailKey),
				eq(signInAttempt.ok, false),
				gt(signInAttempt.at, since)
			)
		)
		.orderBy(desc(signInAttempt.at))
		.limit(maxFailures)
		.all();
	if (accountFailures.length >= maxFailures) {
		const latest = accountFailures[0]!.at;
		const retryAt = new Date(latest.getTime() + lockMinutes * 60_000);
		if (retryAt > now) return { limited: true, scope: 'account', retryAt };
	}
	const addressFailures = db
		.select({ n: count(), latest: max(signInAttempt.at) })
		.from(signInAttempt)
		.where(
			and(eq(signInAttempt.ip, ip), eq(signInAttempt.ok, false), gt(signInAttempt.at, windowStart))
		)
		.get();
	if (addressFailures && addressFailures.n >= maxFailuresPerAddress && addressFailures.latest) {
		const retryAt = new Date(addressFailures.latest.getTime() + lockMinutes * 60_000);
		if (retryAt > now) return { limited: true, scope: 'address', retryAt };
	}
	return { limited: false };
}

export function recordAttempt(
	db: Queryable,
	emailKey: string,
	ip: string,
	ok: boolean,
	now = new Date()
): void {
	db.insert(signInAttempt).values({ emailKey, ip, ok, at: now }).run();
}
