import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

const now = sql`(cast(unixepoch('subsec') * 1000 as integer))`;

/** A person who can sign in. Emails are stored lower-cased and trimmed. */
export const user = sqliteTable('user', {
	id: integer().primaryKey({ autoIncrement: true }),
	email: text().notNull().unique(),
	name: text().notNull(),
	passwordHash: text().notNull(),
	isInstanceAdmin: integer({ mode: 'boolean' }).notNull().default(false),
	/** Set when an administrator disables the account; its sessions end at once. */
	disabledAt: integer({ mode: 'timestamp_ms' }),
	/**
	 * When the person proved they read mail at `email` (a verification link, a personal invite
	 * or a reset link). Null: unverified; such an account is never bound to an organization by
	 * email and expires after 7 days (disabled, its email released; the row and its records stay).
	 */
	emailVerifiedAt: integer({ mode: 'timestamp_ms' }),
	passwordChangedAt: integer({ mode: 'timestamp_ms' }).notNull().default(now),
	createdAt: integer({ mode: 'timestamp_ms' }).notNull().default(now)
});

/**
 * A signed-in browser, in the Lucia guide's design: the cookie holds `id.secret`, only the
 * SHA-256 of the secret is stored, and the secret is compared in constant time.
 */
export const session = sqliteTable(
	'session',
	{
		id: text().primaryKey(),
		secretHash: text().notNull(),
		userId: integer()
			.notNull()
			.references(() => user.id),
		/** Staff sessions (administrators, supervisors) get the shorter limits. */
		staff: integer({ mode: 'boolean' }).notNull(),
		createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
		lastSeenAt: integer({ mode: 'timestamp_ms' }).notNull(),
		ip: text(),
		/** Signed in without a second factor that the account needs: only MFA enrolment opens. */
		mustEnrolMfa: integer({ mode: 'boolean' }).notNull().default(false)
	},
	(t) => [index('session_user_idx').on(t.userId)]
);

export type User = typeof user.$inferSelect;
export type Session = typeof session.$inferSelect;
