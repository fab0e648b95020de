import { and, eq, max, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { prepared } from '../db/prepared';
import { checkAnswer, moduleProgress } from '../db/schema';
import type { Course, CourseModule } from '../courses';
import { currentPolicyIdFor } from '../orgs/policy';

/**
 * Records that a learner finished a module of the course's current version. Idempotent: a
 * second call (double click, another tab) finds the row and records nothing.
 */
export function recordModuleComplete(
	db: Queryable,
	userId: number,
	course: Course,
	module: CourseModule,
	now = new Date()
): { recorded: boolean } {
	const result = db
		.insert(moduleProgress)
		.values({
			userId,
			courseSlug: course.slug,
			moduleSlug: module.slug,
			contentVersion: course.meta.version,
			// The agency policy the module page showed (the learner's organization's newest).
			agencyPolicyId: currentPolicyIdFor(db, userId),
			completedAt: now
		})
		.onConflictDoNothing()
		.run();
	return { recorded: result.changes === 1 };
}

/** The modules of a course a learner has completed, in any version of the content. */
export function completedModules(db: Queryable, userId: number, courseSlug: string): Set<string> {
	const rows = prepared(db, 'progress.modules', (db) =>
		db
			.selectDistinct({ slug: moduleProgress.moduleSlug })
			.from(moduleProgress)
			.where(
				and(
					eq(moduleProgress.userId, sql.placeholder('userId')),
					eq(moduleProgress.courseSlug, sql.placeholder('courseSlug'))
				)
			)
			.prepare()
	).all({ userId, courseSlug });
	return new Set(rows.map((r) => r.slug));
}

/**
 * The modules of a course a learner has completed, each with a roll-call session that recorded
 * it (null: every record of it was read alone). For the module page, which asks about roll-call
 * attendance only for a module done at one.
 */
export function completedModuleSessions(
	db: Queryable,
	userId: number,
	courseSlug: string
): Map<string, number | null> {
	const rows = prepared(db, 'progress.moduleSessions', (db) =>
		db
			.select({ slug: moduleProgress.moduleSlug, session: max(moduleProgress.rollcallSessionId) })
			.from(moduleProgress)
			.where(
				and(
					eq(moduleProgress.userId, sql.placeholder('userId')),
					eq(moduleProgress.courseSlug, sql.placeholder('courseSlug'))
				)
			)
			.groupBy(moduleProgress.moduleSlug)
			.prepare()
	).all({ userId, courseSlug });
	return new Map(rows.map((r) => [r.slug, r.session]));
}

/** Completed modules by course, for the catalog and the home page, in one query. */
export function progressByCourse(db: Queryable, userId: number): Map<string, Set<string>> {
	const rows = prepared(db, 'progress.byCourse', (db) =>
		db
			.selectDistinct({ course: moduleProgress.courseSlug, module: moduleProgress.moduleSlug })
			.from(moduleProgress)
			.where(eq(moduleProgress.userId, sql.placeholder('userId')))
			.prepare()
	).all({ userId });
	const map = new Map<string, Set<string>>();
	for (const r of rows) {
		const set = map.get(r.course) ?? new Set<string>();
		set.add(r.module);
		map.set(r.course, set);
	}
	return map;
}

export interface CourseProgress {
	done: number;
	total: number;
	/** The first module not yet completed, in course order; null when all are done. */
	next: CourseModule | null;
}

export function summarize(course: Course, done: Set<string>): CourseProgress {
	const finished = course.modules.filter((m) => done.has(m.slug)).length;
	return {
		done: finished,
		total: course.modules.length,
		next: course.modules.find((m) => !done.has(m.slug)) ?? null
	};
}

export interface CheckResult {
	questionId: string;
	chosen: number;
	correct: boolean;
	feedback: string;
	correctIndex: number;
}

/**
 * Grades a quick check on the server and keeps every answer. `answers` maps question ids to
 * the chosen option's index; unanswered questions are skipped.
 */
export function gradeQuickCheck(
	db: Queryable,
	userId: number,
	course: Course,
	module: CourseModule,
	answers: Map<string, number>,
	now = new Date()
): CheckResult[] {
	const results: CheckResult[] = [];
	for (const q of module.check) {
		const chosen = answers.get(q.id);
		if (chosen === undefined || !q.options[chosen]) continue;
		const correctIndex = q.options.findIndex((o) => o.correct);
		results.push({
			questionId: q.id,
			chosen,
			correct: chosen === correctIndex,
			feedback: q.options[chosen]!.feedback,
			correctIndex
		});
	}
	if (results.length) {
		db.insert(checkAnswer)
			.values(
				results.map((r) => ({
					userId,
					courseSlug: course.slug,
					moduleSlug: module.slug,
					contentVersion: course.meta.version,
					questionId: r.questionId,
					optionIndex: r.chosen,
					correct: r.correct,
					answeredAt: now
				}))
			)
			.run();
	}
	return results;
}
