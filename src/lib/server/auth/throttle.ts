import { and, count, desc, eq, gt, max, sql } from 'drizzle-orm';
import type { Config } from '../config';
import type { Queryable } from '../db';
import { literalLimit, prepared } from '../db/prepared';
import { signInAttempt } from '../db/schema';

export type Throttle =
	{ limited: false } | { limited: true; scope: 'account' | 'address'; retryAt: Date };

/**
 * Sign-ins being hashed right now, by email and by (email, address) pair. Hashing takes tens
 * of milliseconds, so guesses at one account sent side by side would all pass a check of the
 * recorded failures before the first is written; each one in flight counts as a failure until
 * it is decided. (One server process owns the database, so these maps see every attempt.) The
 * per-address limit counts recorded failures only: a whole shift behind one address signs in
 * at once, and its sign-ins in flight are not failures.
 */
const inFlight = new Map<string, number>();
const pending = (key: string) => inFlight.get(key) ?? 0;
const pairKey = (emailKey: string, ip: string) => `${emailKey}\n${ip}`;

function hold(key: string): () => void {
	inFlight.set(key, pending(key) + 1);
	return () => {
		const n = pending(key) - 1;
		if (n > 0) inFlight.set(key, n);
		else inFlight.delete(key);
	};
}

/** Marks an attempt as being hashed; call the returned function once it is decided. */
export function holdAttempt(emailKey: string, ip: string): () => void {
	const releaseAccount = hold(emailKey);
	const releasePair = hold(pairKey(emailKey, ip));
	return () => {
		releaseAccount();
		releasePair();
	};
}

/**
 * Decides, before any password is hashed, whether a sign-in may even be tried. Failures count
 * within the window and since the account's last success (a sign-in or a completed reset).
 *
 * 1. The (email, address) pair locks after `maxFailures`: a stranger guessing from elsewhere
 *    locks only themselves out, never the officer.
 * 2. The email locks from everywhere after `maxFailuresPerAccount` (much higher), which stops
 *    guessing spread over many addresses. Any email typed counts, known or not, so a lock
 *    reveals nothing.
 * 3. An address pauses after `maxFailuresPerAddress`, except for emails that have signed in
 *    from that address before: a shift behind one NAT keeps signing in while someone on the
 *    same network sprays guesses at other accounts.
 */
export function checkThrottle(
	db: Queryable,
	config: Config,
	emailKey: string,
	ip: string,
	now = new Date()
): Throttle {
	const { maxFailures, maxFailuresPerAccount, windowMinutes, lockMinutes, maxFailuresPerAddress } =
		config.signIn;
	const windowStart = new Date(now.getTime() - windowMinutes * 60_000);
	// Prepared once per connection: a flood of refused sign-ins runs these and nothing else.
	const lastOk = prepared(db, 'throttle.lastOk', (db) =>
		db
			.select({ at: max(signInAttempt.at) })
			.from(signInAttempt)
			.where(
				and(eq(signInAttempt.emailKey, sql.placeholder('emailKey')), eq(signInAttempt.ok, true))
			)
			.prepare()
	).get({ emailKey })?.at;
	const since = lastOk && lastOk > windowStart ? lastOk : windowStart;
	const lockFrom = (latest: Date | null | undefined, inFlight: number) =>
		new Date(Math.max(latest?.getTime() ?? 0, inFlight ? now.getTime() : 0) + lockMinutes * 60_000);

	// The limits are the configuration's, written into the statements (keyed by them).
	const pairFailures = prepared(db, `throttle.pairFailures.${maxFailures}`, (db) =>
		db
			.select({ at: signInAttempt.at })
			.from(signInAttempt)
			.where(
				and(
					eq(signInAttempt.emailKey, sql.placeholder('emailKey')),
					eq(signInAttempt.ip, sql.placeholder('ip')),
					eq(signInAttempt.ok, false),
					gt(signInAttempt.at, sql.placeholder('since'))
				)
			)
			.orderBy(desc(signInAttempt.at))
			.limit(literalLimit(maxFailures))
			.prepare()
	).all({ emailKey, ip, since: since.getTime() });
	const pairPending = pending(pairKey(emailKey, ip));
	if (pairFailures.length + pairPending >= maxFailures) {
		const retryAt = lockFrom(pairFailures[0]?.at, pairPending);
		if (retryAt > now) return { limited: true, scope: 'account', retryAt };
	}

	const accountFailures = prepared(db, `throttle.accountFailures.${maxFailuresPerAccount}`, (db) =>
		db
			.select({ at: signInAttempt.at })
			.from(signInAttempt)
			.where(
				and(
					eq(signInAttempt.emailKey, sql.placeholder('emailKey')),
					eq(signInAttempt.ok, false),
					gt(signInAttempt.at, sql.placeholder('since'))
				)
			)
			.orderBy(desc(signInAttempt.at))
			.limit(literalLimit(maxFailuresPerAccount))
			.prepare()
	).all({ emailKey, since: since.getTime() });
	const accountPending = pending(emailKey);
	if (accountFailures.length + accountPending >= maxFailuresPerAccount) {
		const retryAt = lockFrom(accountFailures[0]?.at, accountPending);
		if (retryAt > now) return { limited: true, scope: 'account', retryAt };
	}

	const addressFailures = prepared(db, 'throttle.addressFailures', (db) =>
		db
			.select({ n: count(), latest: max(signInAttempt.at) })
			.from(signInAttempt)
			.where(
				and(
					eq(signInAttempt.ip, sql.placeholder('ip')),
					eq(signInAttempt.ok, false),
					gt(signInAttempt.at, sql.placeholder('windowStart'))
				)
			)
			.prepare()
	).get({ ip, windowStart: windowStart.getTime() });
	if ((addressFailures?.n ?? 0) >= maxFailuresPerAddress) {
		const retryAt = lockFrom(addressFailures?.latest, 0);
		const knownHere = prepared(db, 'throttle.knownPair', (db) =>
			db
				.select({ at: signInAttempt.at })
				.from(signInAttempt)
				.where(
					and(
						eq(signInAttempt.emailKey, sql.placeholder('emailKey')),
						eq(signInAttempt.ip, sql.placeholder('ip')),
						eq(signInAttempt.ok, true)
					)
				)
				.limit(literalLimit(1))
				.prepare()
		).get({ emailKey, ip });
		if (retryAt > now && !knownHere) return { limited: true, scope: 'address', retryAt };
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
