import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { and, count, eq, gt, isNull, lt } from 'drizzle-orm';
import type { Config } from '../config';
import type { DB, Queryable } from '../db';
import { emailVerification, user } from '../db/schema';
import { missingOriginMessage, publicLink, publicOrigin } from '../public-origin';
import type { Mailer } from '../mail';
import { recordAudit } from '../audit';
import { invalidateUserSessions } from './session';
import { isExpiredUnverified, UNVERIFIED_DAYS } from './unverified';

export { isExpiredUnverified, UNVERIFIED_DAYS };

/** A verification link works once, for this long. */
export const VERIFY_LINK_HOURS = 24;
/** At most this many links per account per hour (the "send again" button). */
const LINKS_PER_HOUR = 5;

const hashToken = (token: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(token)));

/** The address an expired account's email is moved to, so the real address can sign up again. */
export const releasedEmail = (userId: number) => `expired-${userId}@released.invalid`;

/**
 * Expires one unverified account older than 7 days: disabled (its sessions end) and its email
 * released (moved to a reserved `.invalid` address), so whoever owns the address can sign up.
 * The row stays, with its name and every training record; the audit entry keeps the address
 * it had. Returns whether it expired the account. Safe to call on any account.
 */
export function expireIfUnverified(db: Queryable, userId: number, now = new Date()): boolean {
	const row = db
		.select({
			email: user.email,
			emailVerifiedAt: user.emailVerifiedAt,
			createdAt: user.createdAt,
			disabledAt: user.disabledAt
		})
		.from(user)
		.where(eq(user.id, userId))
		.get();
	if (!row || !isExpiredUnverified(row, now) || row.email === releasedEmail(userId)) return false;
	db.update(user)
		.set({ email: releasedEmail(userId), disabledAt: row.disabledAt ?? now })
		.where(eq(user.id, userId))
		.run();
	invalidateUserSessions(db, userId);
	recordAudit(db, {
		action: 'user.expire_unverified',
		outcome: 'success',
		subjectType: 'user',
		subjectId: userId,
		detail: { email: row.email },
		at: now
	});
	return true;
}

/** Expires every unverified account older than 7 days (run at start-up and every hour). */
export function expireUnverifiedAccounts(db: DB, now = new Date()): number {
	const stale = db
		.select({ id: user.id })
		.from(user)
		.where(
			and(
				isNull(user.emailVerifiedAt),
				lt(user.createdAt, new Date(now.getTime() - UNVERIFIED_DAYS * 86_400_000))
			)
		)
		.all();
	let n = 0;
	for (const s of stale) if (db.transaction((tx) => expireIfUnverified(tx, s.id, now))) n += 1;
	return n;
}

/** Marks an account's email verified (idempotent), inside the caller's transaction. */
export function markEmailVerified(
	tx: Queryable,
	userId: number,
	how: 'link' | 'invite' | 'reset',
	now = new Date(),
	ip: string | null = null
): void {
	const changed = tx
		.update(user)
		.set({ emailVerifiedAt: now })
		.where(and(eq(user.id, userId), isNull(user.emailVerifiedAt)))
		.run().changes;
	if (changed)
		recordAudit(tx, {
			action: 'auth.email_verified',
			outcome: 'success',
			actorId: userId,
			ip,
			subjectType: 'user',
			subjectId: userId,
			detail: { how },
			at: now
		});
}

export function isEmailVerified(db: Queryable, userId: number): boolean {
	return (
		db.select({ at: user.emailVerifiedAt }).from(user).where(eq(user.id, userId)).get()?.at != null
	);
}

/**
 * Creates a single-use link for the account's current email (only its SHA-256 is stored).
 * Null when the account is verified already or asked for too many links this hour.
 */
export function issueEmailVerification(
	db: Queryable,
	userId: number,
	now = new Date()
): { token: string; email: string; name: string } | null {
	const u = db
		.select({ email: user.email, name: user.name, verified: user.emailVerifiedAt })
		.from(user)
		.where(eq(user.id, userId))
		.get();
	if (!u || u.verified) return null;
	const recent =
		db
			.select({ n: count() })
			.from(emailVerification)
			.where(
				and(
					eq(emailVerification.userId, userId),
					gt(emailVerification.createdAt, new Date(now.getTime() - 3_600_000))
				)
			)
			.get()?.n ?? 0;
	if (recent >= LINKS_PER_HOUR) return null;
	const token = encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(20)));
	db.insert(emailVerification)
		.values({
			tokenHash: hashToken(token),
			userId,
			email: u.email,
			createdAt: now,
			expiresAt: new Date(now.getTime() + VERIFY_LINK_HOURS * 3_600_000)
		})
		.run();
	return { token, email: u.email, name: u.name };
}

export function verificationMessage(
	config: Pick<Config, 'instanceName'>,
	to: { email: string; name: string },
	link: string
) {
	return {
		to: to.email,
		subject: `Confirm your email for ${config.instanceName}`,
		text: [
			`Hello ${to.name},`,
			'',
			`Please confirm that this is your email address for ${config.instanceName}.`,
			`Open this link within ${VERIFY_LINK_HOURS} hours; it works once. Until you confirm, no organization can invite you by email, and an account left unconfirmed for ${UNVERIFIED_DAYS} days is closed.`,
			'',
			link,
			'',
			'If you did not create this account, ignore this message.'
		].join('\n')
	};
}

/**
 * Issues a link and mails it; false when none was issued (verified already, rate-limited, or
 * no public origin is configured to build the link from: see public-origin.ts).
 */
export async function sendEmailVerification(
	db: DB,
	config: Pick<Config, 'instanceName' | 'origin' | 'originFromHeaders'>,
	mailer: Mailer,
	userId: number
): Promise<boolean> {
	if (!publicOrigin(config)) {
		console.error(`[mail] verification not sent: ${missingOriginMessage(config)}`);
		return false;
	}
	const issued = db.transaction((tx) => issueEmailVerification(tx, userId));
	if (!issued) return false;
	const link = publicLink(config, `/verify-email/${issued.token}`)!;
	await mailer.send(verificationMessage(config, issued, link));
	return true;
}

const usable = (token: string, now: Date) =>
	and(
		eq(emailVerification.tokenHash, hashToken(token)),
		isNull(emailVerification.usedAt),
		gt(emailVerification.expiresAt, now)
	);

/** What the confirmation page may show (a GET never uses the link up: mail scanners open links). */
export function inspectEmailVerification(
	db: Queryable,
	token: string,
	now = new Date()
): { email: string } | null {
	const row = db
		.select({ email: emailVerification.email, current: user.email, disabledAt: user.disabledAt })
		.from(emailVerification)
		.innerJoin(user, eq(user.id, emailVerification.userId))
		.where(usable(token, now))
		.get();
	return row && row.current === row.email && !row.disabledAt ? { email: row.email } : null;
}

/**
 * Uses a verification link: claimed with a conditional UPDATE (single use), and it verifies
 * only while the account still has the address the link was sent to and is not disabled.
 */
export function confirmEmail(
	db: DB,
	token: string,
	ip: string | null,
	now = new Date()
): { ok: true; userId: number } | { ok: false } {
	return db.transaction((tx) => {
		const claimed = tx
			.update(emailVerification)
			.set({ usedAt: now })
			.where(usable(token, now))
			.returning({ userId: emailVerification.userId, email: emailVerification.email })
			.get();
		if (!claimed) return { ok: false as const };
		const u = tx
			.select({ email: user.email, disabledAt: user.disabledAt })
			.from(user)
			.where(eq(user.id, claimed.userId))
			.get();
		if (!u || u.email !== claimed.email || u.disabledAt) return { ok: false as const };
		markEmailVerified(tx, claimed.userId, 'link', now, ip);
		return { ok: true as const, userId: claimed.userId };
	});
}
