import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { user } from './users';

/**
 * One try at a course's assessment. The questions and option order are drawn from `seed`, so
 * the exact attempt can be shown again. `number` is unique per learner and course: two
 * simultaneous starts cannot both become attempt 3.
 */
export const assessmentAttempt = sqliteTable(
	'assessment_attempt',
	{
		id: integer().primaryKey({ autoIncrement: true }),
		userId: integer()
			.notNull()
			.references(() => user.id),
		courseSlug: text().notNull(),
		contentVersion: text().notNull(),
		number: integer().notNull(),
		seed: integer().notNull(),
		startedAt: integer({ mode: 'timestamp_ms' }).notNull(),
		/** When the time limit runs out (before the grace period), if the course has one. */
		deadlineAt: integer({ mode: 'timestamp_ms' }),
		status: text({ enum: ['in_progress', 'submitted', 'timed_out'] }).notNull(),
		submittedAt: integer({ mode: 'timestamp_ms' }),
		earnedPoints: integer(),
		maxPoints: integer(),
		/** Whole percent, rounded down so a score never rounds up to a pass. */
		score: integer(),
		passed: integer({ mode: 'boolean' })
	},
	(t) => [
		uniqueIndex('assessment_attempt_number').on(t.userId, t.courseSlug, t.number),
		index('assessment_attempt_user_course_idx').on(t.userId, t.courseSlug, t.status)
	]
);

/** The graded answer to one question of a submitted attempt. */
export const attemptAnswer = sqliteTable(
	'attempt_answer',
	{
		id: integer().primaryKey({ autoIncrement: true }),
		attemptId: integer()
			.notNull()
			.references(() => assessmentAttempt.id),
		questionId: text().notNull(),
		/** Option ids chosen (single, multiple) or choice ids along the path (scenario). */
		response: text({ mode: 'json' }).$type<string[]>().notNull(),
		earned: integer().notNull(),
		max: integer().notNull()
	},
	(t) => [uniqueIndex('attempt_answer_once').on(t.attemptId, t.questionId)]
);

/** Each step a learner took through a branching scenario, posted one at a time. */
export const scenarioStep = sqliteTable(
	'scenario_step',
	{
		id: integer().primaryKey({ autoIncrement: true }),
		attemptId: integer()
			.notNull()
			.references(() => assessmentAttempt.id),
		questionId: text().notNull(),
		stepId: text().notNull(),
		choiceId: text().notNull(),
		at: integer({ mode: 'timestamp_ms' }).notNull()
	},
	(t) => [uniqueIndex('scenario_step_once').on(t.attemptId, t.questionId, t.stepId)]
);

/**
 * A course completed: written in the same transaction as the passing attempt. Corrections
 * and renewals are new rows; nothing here is updated or deleted.
 */
export const completion = sqliteTable(
	'completion',
	{
		id: integer().primaryKey({ autoIncrement: true }),
		userId: integer()
			.notNull()
			.references(() => user.id),
		courseSlug: text().notNull(),
		contentVersion: text().notNull(),
		attemptId: integer().references(() => assessmentAttempt.id),
		score: integer().notNull(),
		method: text({ enum: ['self-paced', 'roll-call'] })
			.notNull()
			.default('self-paced'),
		completedAt: integer({ mode: 'timestamp_ms' }).notNull()
	},
	(t) => [
		uniqueIndex('completion_attempt_once').on(t.attemptId),
		index('completion_user_course_idx').on(t.userId, t.courseSlug)
	]
);
