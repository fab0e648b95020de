import { eq, sql } from 'drizzle-orm';
import type { Tx } from '../db';
import { prepared } from '../db/prepared';
import { certificate, user } from '../db/schema';
import type { Course } from '../courses';
import { newCertificateCode } from './code';

/** Adds whole calendar months in UTC, keeping the day where the month allows. */
export function addMonths(date: Date, months: number): Date {
	const d = new Date(date.getTime());
	const day = d.getUTCDate();
	d.setUTCDate(1);
	d.setUTCMonth(d.getUTCMonth() + months);
	const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
	d.setUTCDate(Math.min(day, last));
	return d;
}

/**
 * Issues the certificate of a completion, inside the transaction that wrote the completion:
 * one completion, one certificate (a unique index holds it even if this ran twice).
 */
export function issueCertificate(
	tx: Tx,
	input: { completionId: number; userId: number; course: Course; issuer: string; completedAt: Date }
): { code: string; certificateId: number } {
	const holder = prepared(tx, 'certificates.holder', (db) =>
		db
			.select({ name: user.name })
			.from(user)
			.where(eq(user.id, sql.placeholder('userId')))
			.prepare()
	).get({ userId: input.userId });
	const months = input.course.meta.validityMonths;
	const code = newCertificateCode();
	const { id } = prepared(tx, 'certificates.insert', (db) =>
		db
			.insert(certificate)
			.values({
				code: sql.placeholder('code'),
				completionId: sql.placeholder('completionId'),
				userId: sql.placeholder('userId'),
				courseSlug: sql.placeholder('courseSlug'),
				courseTitle: sql.placeholder('courseTitle'),
				contentVersion: sql.placeholder('contentVersion'),
				holderName: sql.placeholder('holderName'),
				issuer: sql.placeholder('issuer'),
				creditHours: sql.placeholder('creditHours'),
				completedAt: sql.placeholder('completedAt'),
				issuedAt: sql.placeholder('issuedAt'),
				expiresAt: sql.placeholder('expiresAt')
			})
			.returning({ id: certificate.id })
			.prepare()
	).get({
		code,
		completionId: input.completionId,
		userId: input.userId,
		courseSlug: input.course.slug,
		courseTitle: input.course.meta.title,
		contentVersion: input.course.meta.version,
		holderName: holder?.name ?? 'Unknown',
		issuer: input.issuer,
		creditHours: input.course.meta.creditHours,
		completedAt: input.completedAt,
		issuedAt: input.completedAt,
		expiresAt: months ? addMonths(input.completedAt, months) : null
	})!;
	return { code, certificateId: id };
}
