import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { user } from './users';

/** Every sign-in attempt, kept for throttling: keyed by the email typed, known or not. */
export const signInAttempt = sqliteTable(
	'sign_in_attempt',
	{
		id: integer().primaryKey({ autoIncrement: true }),
		emailKey: text().notNull(),
		ip: text().notNull(),
		ok: integer({ mode: 'boolean' }).notNull(),
		at: integer({ mode: 'timestamp_ms' }).notNull()
	},
	(t) => [
		index('sign_in_attempt_email_idx').on(t.emailKey, t.at),
		index('sign_in_attempt_ip_idx').on(t.ip, t.at)
	]
);

/** A single-use password-reset link. Only the SHA-256 of its token is stored. */
export const passwordReset = sqliteTable(
	'password_reset',
	{
		tokenHash: text().primaryKey(),
		userId: integer()
			.notNull()
			.references(() => user.id),
		createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
		expiresAt: integer({ mode: 'timestamp_ms' }).notNull(),
		usedAt: integer({ mode: 'timestamp_ms' })
	},
	(t) => [index('password_reset_user_idx').on(t.userId)]
);

/** A single-use link that proves a person reads mail at `email`. Only the SHA-256 of its token is stored. */
export const emailVerification = sqliteTable(
	'email_verification',
	{
		tokenHash: text().primaryKey(),
		userId: integer()
			.notNull()
			.references(() => user.id),
		/** The address the link was sent to: it verifies only while the account still has it. */
		email: text().notNull(),
		createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
		expiresAt: integer({ mode: 'timestamp_ms' }).notNull(),
		usedAt: integer({ mode: 'timestamp_ms' })
	},
	(t) => [index('email_verification_user_idx').on(t.userId)]
);
