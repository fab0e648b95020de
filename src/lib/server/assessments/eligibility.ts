import { and, asc, desc, eq, gt } from 'drizzle-orm';
import type { DB, Tx } from '../db';
import { assessmentAttempt, completion } from '../db/schema';
import type { Course } from '../courses';
import { completedModules } from '../learning/progress';
import { latestCertificate } from '../certificates/status';

export type AttemptRow = typeof assessmentAttempt.$inferSelect;

export type Eligibility =
	| { ok: true; inProgress: AttemptRow | null }
	| { ok: false; reason: 'modules_incomplete' | 'no_attempts_left' | 'completed' }
	| { ok: false; reason: 'wait'; until: Date };

function lastCompletion(db: DB | Tx, userId: number, courseSlug: string) {
	return db
		.select({ id: completion.id, completedAt: completion.completedAt })
		.from(completion)
		.where(and(eq(completion.userId, userId), eq(completion.courseSlug, courseSlug)))
		.orderBy(desc(completion.completedAt))
		.get();
}

/** Attempts since the learner last completed the course (a renewal starts a fresh count). */
export function currentAttempts(db: DB | Tx, userId: number, courseSlug: string): AttemptRow[] {
	const last = lastCompletion(db, userId, courseSlug);
	return db
		.select()
		.from(assessmentAttempt)
		.where(
			and(
				eq(assessmentAttempt.userId, userId),
				eq(assessmentAttempt.courseSlug, courseSlug),
				last ? gt(assessmentAttempt.startedAt, last.completedAt) : undefined
			)
		)
		.orderBy(asc(assessmentAttempt.number))
		.all();
}

/** A learner may retake a course whose certificate has expired or expires within this many days. */
export const RENEWAL_WINDOW_DAYS = 60;

function renewalOpen(db: DB | Tx, userId: number, courseSlug: string, now: Date): boolean {
	const cert = latestCertificate(db, userId, courseSlug);
	if (!cert?.expiresAt || cert.revokedAt) return false;
	return cert.expiresAt.getTime() - now.getTime() <= RENEWAL_WINDOW_DAYS * 86_400_000;
}

/** Whether a learner may start (or continue) an attempt now, and if not, why. */
export function checkEligibility(
	db: DB | Tx,
	userId: number,
	course: Course,
	now = new Date()
): Eligibility {
	const done = completedModules(db, userId, course.slug);
	if (course.modules.some((m) => !done.has(m.slug)))
		return { ok: false, reason: 'modules_incomplete' };
	if (lastCompletion(db, userId, course.slug) && !renewalOpen(db, userId, course.slug, now)) {
		return { ok: false, reason: 'completed' };
	}
	const attempts = currentAttempts(db, userId, course.slug);
	const open = attempts.find((a) => a.status === 'in_progress');
	if (open) return { ok: true, inProgress: open };
	const rules = course.assessment;
	if (rules.attempts > 0 && attempts.length >= rules.attempts)
		return { ok: false, reason: 'no_attempts_left' };
	const last = attempts.at(-1);
	if (last?.submittedAt && rules.waitMinutes > 0) {
		const until = new Date(last.submittedAt.getTime() + rules.waitMinutes * 60_000);
		if (until > now) return { ok: false, reason: 'wait', until };
	}
	return { ok: true, inProgress: null };
}
