import {
	index,
	integer,
	sqliteTable,
	text,
	uniqueIndex,
	type AnySQLiteColumn
} from 'drizzle-orm/sqlite-core';
import { agencyPolicy } from './policy';
import { user } from './users';
import { rollcallSession } from './rollcall';

/**
 * A module a learner marked complete, with the course content version they read. The unique
 * index makes "Mark as complete" idempotent: a double click or a second tab records nothing new.
 */
export const moduleProgress = sqliteTable(
	'module_progress',
	{
		id: integer().primaryKey({ autoIncrement: true }),
		userId: integer()
			.notNull()
			.references(() => user.id),
		courseSlug: text().notNull(),
		moduleSlug: text().notNull(),
		contentVersion: text().notNull(),
		/** The version of the learner's agency policy the module showed them (null: none). */
		agencyPolicyId: integer().references(() => agencyPolicy.id),
		completedAt: integer({ mode: 'timestamp_ms' }).notNull(),
		/** The roll-call session at which the module was done, if it was done at roll call. */
		rollcallSessionId: integer().references((): AnySQLiteColumn => rollcallSession.id)
	},
	(t) => [
		uniqueIndex('module_progress_once').on(t.userId, t.courseSlug, t.moduleSlug, t.contentVersion),
		index('module_progress_user_course_idx').on(t.userId, t.courseSlug)
	]
);

/** Every answer to a module's quick check (practice: kept, never graded toward completion). */
export const checkAnswer = sqliteTable(
	'check_answer',
	{
		id: integer().primaryKey({ autoIncrement: true }),
		userId: integer()
			.notNull()
			.references(() => user.id),
		courseSlug: text().notNull(),
		moduleSlug: text().notNull(),
		contentVersion: text().notNull(),
		questionId: text().notNull(),
		optionIndex: integer().notNull(),
		correct: integer({ mode: 'boolean' }).notNull(),
		answeredAt: integer({ mode: 'timestamp_ms' }).notNull()
	},
	(t) => [index('check_answer_user_idx').on(t.userId, t.courseSlug, t.moduleSlug)]
);
