import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { completion } from './assessments';
import { user } from './users';

/**
 * A certificate, issued with its completion in one transaction. What it says (name, course,
 * issuer) is copied at issue so a later rename never changes a document already handed out.
 */
export const certificate = sqliteTable(
	'certificate',
	{
		id: integer().primaryKey({ autoIncrement: true }),
		/** 128 random bits in Crockford base32, stored without separators. */
		code: text().notNull().unique(),
		completionId: integer()
			.notNull()
			.references(() => completion.id),
		userId: integer()
			.notNull()
			.references(() => user.id),
		courseSlug: text().notNull(),
		courseTitle: text().notNull(),
		contentVersion: text().notNull(),
		holderName: text().notNull(),
		issuer: text().notNull(),
		creditHours: real().notNull(),
		completedAt: integer({ mode: 'timestamp_ms' }).notNull(),
		issuedAt: integer({ mode: 'timestamp_ms' }).notNull(),
		expiresAt: integer({ mode: 'timestamp_ms' }),
		/** SHA-256 over this row's fields; its audit event commits to it (records/chain.ts). */
		recordHash: text()
	},
	(t) => [
		uniqueIndex('certificate_completion_once').on(t.completionId),
		// Covering for required training's counts (training/roster-counts.ts): a person's
		// certificates of a course in time order, with their expiry, read from the index alone.
		index('certificate_user_idx').on(t.userId, t.courseSlug, t.completedAt, t.expiresAt)
	]
);

export const REVOCATION_REASONS = {
	issued_in_error: 'Issued in error',
	misconduct: 'Withdrawn for misconduct in the assessment',
	identity: 'The holder’s identity could not be confirmed',
	superseded: 'Replaced by a corrected certificate',
	withdrawn: 'Withdrawn by the issuer'
} as const;
export type RevocationReason = keyof typeof REVOCATION_REASONS;

/** A revocation is a new row, never an edit: the certificate itself is left as issued. */
export const certificateRevocation = sqliteTable('certificate_revocation', {
	id: integer().primaryKey({ autoIncrement: true }),
	certificateId: integer()
		.notNull()
		.unique()
		.references(() => certificate.id),
	reason: text({
		enum: Object.keys(REVOCATION_REASONS) as [RevocationReason, ...RevocationReason[]]
	}).notNull(),
	/** Internal note for the audit trail; never shown on the public page. */
	note: text(),
	revokedBy: integer()
		.notNull()
		.references(() => user.id),
	revokedAt: integer({ mode: 'timestamp_ms' }).notNull(),
	/** SHA-256 over this row's fields; its audit event commits to it (records/chain.ts). */
	recordHash: text()
});

/**
 * The signed Open Badges 3.0 credential of a certificate, made on first request and kept, so
 * a wallet and a verifier always get the same document (signing is kept out of the submit
 * transaction). It can be rebuilt from the certificate at any time; it is not a record.
 */
export const openBadge = sqliteTable('open_badge', {
	certificateId: integer()
		.primaryKey()
		.references(() => certificate.id),
	/** The credential JSON, proof included, exactly as served. */
	credential: text().notNull(),
	/** The key that signed it (a did:web verification method id). */
	keyId: text().notNull(),
	signedAt: integer({ mode: 'timestamp_ms' }).notNull()
});
