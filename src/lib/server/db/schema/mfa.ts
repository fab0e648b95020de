import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { user } from './users';

/**
 * An authenticator app (TOTP, RFC 6238: 6 digits, 30 s). The row exists from the moment the
 * person asks to add one, so the secret can be shown; it counts as a factor once `confirmedAt`
 * is set by a correct code. `lastStep` is the last time step accepted, so a code works once.
 * Removal sets `removedAt`; the row stays for the record.
 */
export const totpFactor = sqliteTable(
	'totp_factor',
	{
		id: integer().primaryKey({ autoIncrement: true }),
		userId: integer()
			.notNull()
			.references(() => user.id),
		/** The shared secret, base32 as the app shows it (the server must read it back). */
		secret: text().notNull(),
		lastStep: integer(),
		createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
		confirmedAt: integer({ mode: 'timestamp_ms' }),
		lastUsedAt: integer({ mode: 'timestamp_ms' }),
		removedAt: integer({ mode: 'timestamp_ms' })
	},
	(t) => [index('totp_factor_user_idx').on(t.userId)]
);

/** A WebAuthn credential (a passkey or security key). */
export const passkey = sqliteTable(
	'passkey',
	{
		id: integer().primaryKey({ autoIncrement: true }),
		userId: integer()
			.notNull()
			.references(() => user.id),
		/** The credential id, base64url, as the authenticator gave it. */
		credentialId: text().notNull(),
		/** The COSE public key, base64url. */
		publicKey: text().notNull(),
		counter: integer().notNull().default(0),
		transports: text({ mode: 'json' }).$type<string[]>().notNull(),
		label: text().notNull(),
		createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
		lastUsedAt: integer({ mode: 'timestamp_ms' }),
		removedAt: integer({ mode: 'timestamp_ms' })
	},
	(t) => [
		uniqueIndex('passkey_credential_once').on(t.credentialId),
		index('passkey_user_idx').on(t.userId)
	]
);

/**
 * Ten single-use recovery codes per set; only the SHA-256 of each (80 random bits) is kept.
 * A new set revokes the old one.
 */
export const recoveryCode = sqliteTable(
	'recovery_code',
	{
		id: integer().primaryKey({ autoIncrement: true }),
		userId: integer()
			.notNull()
			.references(() => user.id),
		codeHash: text().notNull(),
		createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
		usedAt: integer({ mode: 'timestamp_ms' }),
		revokedAt: integer({ mode: 'timestamp_ms' })
	},
	(t) => [
		uniqueIndex('recovery_code_hash_once').on(t.codeHash),
		index('recovery_code_user_idx').on(t.userId)
	]
);

/**
 * The half-session between a correct password and the second factor: a cookie `id.secret`
 * scoped to /login, only the secret's SHA-256 stored, ten minutes, used once. It opens nothing
 * but the second step.
 */
export const mfaPending = sqliteTable(
	'mfa_pending',
	{
		id: text().primaryKey(),
		secretHash: text().notNull(),
		userId: integer()
			.notNull()
			.references(() => user.id),
		/** Where to go after the second factor (already checked as a same-site path). */
		next: text().notNull(),
		createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
		expiresAt: integer({ mode: 'timestamp_ms' }).notNull(),
		ip: text()
	},
	(t) => [index('mfa_pending_user_idx').on(t.userId)]
);

/**
 * A WebAuthn challenge waiting for its answer, one per owner (`reg:<session id>` for adding a
 * passkey, `auth:<pending id>` for signing in): taken (deleted) by the first answer, five minutes.
 */
export const webauthnChallenge = sqliteTable('webauthn_challenge', {
	owner: text().primaryKey(),
	userId: integer()
		.notNull()
		.references(() => user.id),
	challenge: text().notNull(),
	expiresAt: integer({ mode: 'timestamp_ms' }).notNull()
});
