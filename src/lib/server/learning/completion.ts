import { and, desc, eq } from 'drizzle-orm';
import type { DB, Tx } from '../db';
import { completion } from '../db/schema';
import type { Course } from '../courses';

export interface CompletionInput {
	userId: number;
	course: Course;
	attemptId: number | null;
	score: number;
	method: 'self-paced' | 'roll-call';
	now: Date;
}

/**
 * Writes a course completion. Call it inside the transaction that recorded the passing
 * result, so the two are never found apart.
 */
export function recordCompletion(tx: Tx, input: CompletionInput): number {
	return tx
		.insert(completion)
		.values({
			userId: input.userId,
			courseSlug: input.course.slug,
			contentVersion: input.course.meta.version,
			attemptId: input.attemptId,
			score: input.score,
			method: input.method,
			completedAt: input.now
		})
		.returning({ id: completion.id })
		.get().id;
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
