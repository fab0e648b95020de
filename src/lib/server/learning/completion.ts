import { and, desc, eq, sql } from 'drizzle-orm';
import type { DB, Tx } from '../db';
import { prepared } from '../db/prepared';
import { completion } from '../db/schema';
import type { Course } from '../courses';
import { issueCertificate } from '../certificates/issue';
import { recordAudit } from '../audit';
import { sealRecord } from '../records/seal';
import { currentPolicyIdFor } from '../orgs/policy';

export interface CompletionInput {
	userId: number;
	course: Course;
	attemptId: number | null;
	score: number;
	method: 'self-paced' | 'roll-call';
	/** Who issues the certificate: the learner's organization, or the instance's name. */
	issuer: string;
	now: Date;
}

/**
 * Writes a course completion, issues its certificate and records both in the audit trail.
 * Call it inside the transaction that recorded the passing result, so none is found apart.
 */
export function recordCompletion(
	tx: Tx,
	input: CompletionInput
): { completionId: number; code: string } {
	const completionId = prepared(tx, 'completion.insert', (db) =>
		db
			.insert(completion)
			.values({
				userId: sql.placeholder('userId'),
				courseSlug: sql.placeholder('courseSlug'),
				contentVersion: sql.placeholder('contentVersion'),
				attemptId: sql.placeholder('attemptId'),
				score: sql.placeholder('score'),
				method: sql.placeholder('method'),
				agencyPolicyId: sql.placeholder('agencyPolicyId'),
				completedAt: sql.placeholder('completedAt')
			})
			.returning({ id: completion.id })
			.prepare()
	).get({
		userId: input.userId,
		courseSlug: input.course.slug,
		contentVersion: input.course.meta.version,
		attemptId: input.attemptId,
		score: input.score,
		method: input.method,
		agencyPolicyId: currentPolicyIdFor(tx, input.userId),
		completedAt: input.now
	})!.id;
	const { code, certificateId } = issueCertificate(tx, {
		completionId,
		userId: input.userId,
		course: input.course,
		issuer: input.issuer,
		completedAt: input.now
	});
	recordAudit(tx, {
		action: 'course.complete',
		outcome: 'success',
		actorId: input.userId,
		subjectType: 'completion',
		subjectId: completionId,
		detail: {
			course: input.course.slug,
			version: input.course.meta.version,
			score: input.score,
			method: input.method,
			certificate: code,
			records: [
				sealRecord(tx, 'completion', completionId),
				sealRecord(tx, 'certificate', certificateId)
			]
		},
		at: input.now
	});
	return { completionId, code };
}

export interface CompletionSummary {
	contentVersion: string;
	score: number;
	completedAt: Date;
	method: string;
}

export function latestCompletion(
	db: DB | Tx,
	userId: number,
	courseSlug: string
): CompletionSummary | undefined {
	return db
		.select({
			contentVersion: completion.contentVersion,
			score: completion.score,
			completedAt: completion.completedAt,
			method: completion.method
		})
		.from(completion)
		.where(and(eq(completion.userId, userId), eq(completion.courseSlug, courseSlug)))
		.orderBy(desc(completion.completedAt))
		.get();
}
