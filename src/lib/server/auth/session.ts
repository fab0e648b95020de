import { createHash } from 'node:crypto';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { eq, sql } from 'drizzle-orm';
import type { Config } from '../config';
import type { DB, Queryable } from '../db';
import { prepared } from '../db/prepared';
import { session, user } from '../db/schema';
import { isExpiredUnverified } from './unverified';

export const SESSION_COOKIE = 'muster_session';

/** Only move `lastSeenAt` on this often: sliding expiry without a write per request. */
const TOUCH_EVERY_MS = 60_000;
/** New `lastSeenAt` values wait this long and are then written together. */
const FLUSH_TOUCHES_MS = 1_000;

/**
 * The sessions whose `lastSeenAt` moved on, by connection, not yet written. A request does
 * not wait for that write (with synchronous=FULL it is an fsync of its own); a second later
 * all of them go in one transaction. A crash loses at most that second's touches, which only
 * makes those sessions' idle limit count from a minute earlier. Records never wait here.
 */
const touches = new WeakMap<DB, Map<string, Date>>();

function touchSoon(db: DB, sessionId: string, at: Date): void {
	let pending = touches.get(db);
	if (!pending) touches.set(db, (pending = new Map()));
	if (pending.size === 0) setTimeout(() => flushSafely(db), FLUSH_TOUCHES_MS).unref();
	pending.set(sessionId, at);
}

/** From a timer: a failed write (a disk error, a lock held too long) must not stop the server. */
function flushSafely(db: DB): void {
	try {
		flushTouches(db);
	} catch (e) {
		console.error('Could not record session activity; those sessions keep their older time.', e);
	}
}

/** Writes the pending touches now (also before the database is closed). */
export function flushTouches(db: DB): void {
	const pending = touches.get(db);
	if (!pending?.size || !db.$client.open) return;
	const due = [...pending];
	pending.clear();
	db.transaction((tx) => {
		for (const [id, lastSeenAt] of due)
			tx.update(session).set({ lastSeenAt }).where(eq(session.id, id)).run();
	});
}

export interface SessionUser {
	id: number;
	email: string;
	name: string;
	isInstanceAdmin: boolean;
	/** False until the person opened their verification link (see auth/verify-email.ts). */
	emailVerified: boolean;
}

export interface ValidSession {
	id: string;
	userId: number;
	staff: boolean;
	expiresAt: Date;
	/** Signed in without the second factor the account needs: only enrolment is open. */
	mustEnrolMfa: boolean;
	/**
	 * The idle window moved on with this request (at most once a minute): the cookie's expiry
	 * should follow. Between touches the expiry is unchanged, so the cookie need not be re-sent.
	 */
	touched: boolean;
}

function randomString(bytes: number): string {
	const buf = new Uint8Array(bytes);
	crypto.getRandomValues(buf);
	return encodeBase32LowerCaseNoPadding(buf);
}

function hashSecret(secret: string): string {
	// Node's SHA-256 (OpenSSL): the same hex as @oslojs's, without a JavaScript hash per request.
	return createHash('sha256').update(secret, 'utf8').digest('hex');
}

function limits(config: Config, staff: boolean): { idleMs: number; maxMs: number } {
	const s = config.session;
	return staff
		? { idleMs: s.staffIdleMinutes * 60_000, maxMs: s.staffMaxHours * 3_600_000 }
		: { idleMs: s.idleMinutes * 60_000, maxMs: s.maxHours * 3_600_000 };
}

function expiry(config: Config, row: { staff: boolean; createdAt: Date; lastSeenAt: Date }): Date {
	const { idleMs, maxMs } = limits(config, row.staff);
	return new Date(Math.min(row.lastSeenAt.getTime() + idleMs, row.createdAt.getTime() + maxMs));
}

/** Creates a session and returns the cookie value `id.secret`; only the secret's hash is kept. */
export function createSession(
	db: Queryable,
	config: Config,
	userId: number,
	opts: { staff: boolean; ip?: string | null; now?: Date; mustEnrolMfa?: boolean }
): { token: string; expiresAt: Date } {
	const now = opts.now ?? new Date();
	const id = randomString(15);
	const secret = randomString(20);
	const row = {
		id,
		secretHash: hashSecret(secret),
		userId,
		staff: opts.staff,
		createdAt: now,
		lastSeenAt: now
	};
	db.insert(session)
		.values({ ...row, ip: opts.ip ?? null, mustEnrolMfa: opts.mustEnrolMfa ?? false })
		.run();
	return { token: `${id}.${secret}`, expiresAt: expiry(config, row) };
}

/**
 * Looks a cookie up. Returns null for anything not a live session of an enabled account,
 * deleting the session if it has expired. Extends the idle window as the user is active.
 */
export function validateSessionToken(
	db: DB,
	config: Config,
	token: string,
	now = new Date()
): { session: ValidSession; user: SessionUser } | null {
	const [id, secret, extra] = token.split('.');
	if (!id || !secret || extra !== undefined || id.length > 64 || secret.length > 64) return null;
	const row = prepared(db, 'session.byId', (db) =>
		db
			.select({
				id: session.id,
				secretHash: session.secretHash,
				userId: session.userId,
				staff: session.staff,
				createdAt: session.createdAt,
				lastSeenAt: session.lastSeenAt,
				mustEnrolMfa: session.mustEnrolMfa,
				email: user.email,
				name: user.name,
				isInstanceAdmin: user.isInstanceAdmin,
				disabledAt: user.disabledAt,
				emailVerifiedAt: user.emailVerifiedAt,
				userCreatedAt: user.createdAt
			})
			.from(session)
			.innerJoin(user, eq(user.id, session.userId))
			.where(eq(session.id, sql.placeholder('id')))
			.prepare()
	).get({ id });
	if (!row) return null;
	const given = new TextEncoder().encode(hashSecret(secret));
	if (!constantTimeEqual(given, new TextEncoder().encode(row.secretHash))) return null;
	const touched = touches.get(db)?.get(row.id);
	let lastSeenAt = touched && touched > row.lastSeenAt ? touched : row.lastSeenAt;
	// An unverified account past its 7 days is expired (see auth/verify-email.ts): no session.
	const unverifiedExpired = isExpiredUnverified(
		{ emailVerifiedAt: row.emailVerifiedAt, createdAt: row.userCreatedAt },
		now
	);
	if (row.disabledAt || unverifiedExpired || now >= expiry(config, { ...row, lastSeenAt })) {
		invalidateSession(db, row.id);
		return null;
	}
	const touch = now.getTime() - lastSeenAt.getTime() >= TOUCH_EVERY_MS;
	if (touch) {
		lastSeenAt = now;
		touchSoon(db, row.id, now);
	}
	return {
		session: {
			id: row.id,
			userId: row.userId,
			staff: row.staff,
			expiresAt: expiry(config, { ...row, lastSeenAt }),
			mustEnrolMfa: row.mustEnrolMfa,
			touched: touch
		},
		user: {
			id: row.userId,
			email: row.email,
			name: row.name,
			isInstanceAdmin: row.isInstanceAdmin,
			emailVerified: row.emailVerifiedAt !== null
		}
	};
}

export function invalidateSession(db: Queryable, sessionId: string): void {
	db.delete(session).where(eq(session.id, sessionId)).run();
}

/** Ends every session of a user: "sign out everywhere", a password change, a disabled account. */
export function invalidateUserSessions(db: Queryable, userId: number): number {
	return db.delete(session).where(eq(session.userId, userId)).run().changes;
}
