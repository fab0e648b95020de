import { and, desc, eq, sql } from 'drizzle-orm';
import type { DB, Queryable } from '../db';
import {
	certificate,
	certificateRevocation,
	REVOCATION_REASONS,
	type RevocationReason
} from '../db/schema';
import { recordAudit } from '../audit';
import { sealRecord } from '../records/seal';
import { prepared } from '../db/prepared';

export type CertificateStatus = 'valid' | 'expired' | 'revoked';

export interface CertificateRecord {
	id: number;
	code: string;
	userId: number;
	courseSlug: string;
	courseTitle: string;
	contentVersion: string;
	holderName: string;
	issuer: string;
	creditHours: number;
	completedAt: Date;
	expiresAt: Date | null;
	revokedAt: Date | null;
	revocationReason: RevocationReason | null;
}

export function statusOf(
	c: Pick<CertificateRecord, 'expiresAt' | 'revokedAt'>,
	now = new Date()
): CertificateStatus {
	if (c.revokedAt) return 'revoked';
	if (c.expiresAt && c.expiresAt <= now) return 'expired';
	return 'valid';
}

const columns = {
	id: certificate.id,
	code: certificate.code,
	userId: certificate.userId,
	courseSlug: certificate.courseSlug,
	courseTitle: certificate.courseTitle,
	contentVersion: certificate.contentVersion,
	holderName: certificate.holderName,
	issuer: certificate.issuer,
	creditHours: certificate.creditHours,
	completedAt: certificate.completedAt,
	expiresAt: certificate.expiresAt,
	revokedAt: certificateRevocation.revokedAt,
	revocationReason: certificateRevocation.reason
};

export function findCertificateByCode(db: Queryable, code: string): CertificateRecord | undefined {
	return prepared(db, 'certificates.byCode', (db) =>
		db
			.select(columns)
			.from(certificate)
			.leftJoin(certificateRevocation, eq(certificateRevocation.certificateId, certificate.id))
			.where(eq(certificate.code, sql.placeholder('code')))
			.prepare()
	).get({ code });
}

export function listCertificates(db: Queryable, userId: number): CertificateRecord[] {
	// The learner's home page reads this on every visit: prepared once per connection.
	return prepared(db, 'certificates.list', (db) =>
		db
			.select(columns)
			.from(certificate)
			.leftJoin(certificateRevocation, eq(certificateRevocation.certificateId, certificate.id))
			.where(eq(certificate.userId, sql.placeholder('userId')))
			.orderBy(desc(certificate.completedAt))
			.prepare()
	).all({ userId });
}

/** The newest certificate a learner holds for a course, for renewal decisions. */
export function latestCertificate(
	db: Queryable,
	userId: number,
	courseSlug: string
): CertificateRecord | undefined {
	return db
		.select(columns)
		.from(certificate)
		.leftJoin(certificateRevocation, eq(certificateRevocation.certificateId, certificate.id))
		.where(and(eq(certificate.userId, userId), eq(certificate.courseSlug, courseSlug)))
		.orderBy(desc(certificate.completedAt))
		.get();
}

export type RevokeResult = { ok: true } | { ok: false; reason: 'not_found' | 'already_revoked' };

/** Revokes a certificate: a new row, and an audit entry, in one transaction. */
export function revokeCertificate(
	db: DB,
	input: {
		code: string;
		reason: RevocationReason;
		note?: string;
		by: number;
		ip?: string | null;
		orgId?: number | null;
	},
	now = new Date()
): RevokeResult {
	return db.transaction((tx) => {
		const found = findCertificateByCode(tx, input.code);
		if (!found) return { ok: false, reason: 'not_found' };
		if (found.revokedAt) return { ok: false, reason: 'already_revoked' };
		const { id } = tx
			.insert(certificateRevocation)
			.values({
				certificateId: found.id,
				reason: input.reason,
				note: input.note ?? null,
				revokedBy: input.by,
				revokedAt: now
			})
			.returning({ id: certificateRevocation.id })
			.get();
		recordAudit(tx, {
			action: 'certificate.revoke',
			outcome: 'success',
			actorId: input.by,
			ip: input.ip,
			orgId: input.orgId ?? null,
			subjectType: 'certificate',
			subjectId: found.code,
			detail: {
				reason: input.reason,
				...(input.note ? { note: input.note } : {}),
				records: [sealRecord(tx, 'certificate_revocation', id)]
			},
			at: now
		});
		return { ok: true };
	});
}

export function reasonLabel(reason: RevocationReason): string {
	return REVOCATION_REASONS[reason];
}
