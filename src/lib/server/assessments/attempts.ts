import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { DB, Queryable, Tx } from '../db';
import { commitInGroup } from '../db/group-commit';
import { prepared } from '../db/prepared';
import { assessmentAttempt, attemptAnswer, scenarioStep } from '../db/schema';
import type { Course } from '../courses';
import { completedModules } from '../learning/progress';
import { recordCompletion } from '../learning/completion';
import { drawAttempt, newSeed, type Draw } from './draw';
import { checkEligibility, type AttemptRow, type Eligibility } from './eligibility';
import { gradeChoice, gradeScenario, percent, scenarioPosition, type PathStep } from './grade';

/** Answers that arrive this long after the time limit still count (slow phones, slow networks). */
export const GRACE_MS = 60_000;

/**
 * Starts an attempt, or returns the one in progress. Runs as an IMMEDIATE transaction so that
 * simultaneous starts are serialized: the attempt limit holds however many arrive at once.
 */
export function startAttempt(
	db: DB,
	userId: number,
	course: Course,
	now = new Date()
): { ok: true; attemptId: number } | Exclude<Eligibility, { ok: true }> {
	return db.transaction(
		(tx) => {
			closeExpired(tx, userId, course, now);
			const eligible = checkEligibility(tx, userId, course, now);
			if (!eligible.ok) return eligible;
			if (eligible.inProgress) return { ok: true as const, attemptId: eligible.inProgress.id };
			const last = tx
				.select({ number: assessmentAttempt.number })
				.from(assessmentAttempt)
				.where(
					and(eq(assessmentAttempt.userId, userId), eq(assessmentAttempt.courseSlug, course.slug))
				)
				.orderBy(desc(assessmentAttempt.number))
				.get();
			const limit = course.assessment.timeLimitMinutes;
			const row = tx
				.insert(assessmentAttempt)
				.values({
					userId,
					courseSlug: course.slug,
					contentVersion: course.meta.version,
					number: (last?.number ?? 0) + 1,
					seed: newSeed(),
					startedAt: now,
					deadlineAt: limit ? new Date(now.getTime() + limit * 60_000) : null,
					status: 'in_progress'
				})
				.returning({ id: assessmentAttempt.id })
				.get();
			return { ok: true as const, attemptId: row.id };
		},
		{ behavior: 'immediate' }
	);
}

/** An attempt of this user (never another's: another user's id is simply not found). */
export function findAttempt(
	db: Queryable,
	userId: number,
	attemptId: number,
	courseSlug: string
): AttemptRow | undefined {
	return prepared(db, 'attempts.find', (db) =>
		db
			.select()
			.from(assessmentAttempt)
			.where(
				and(
					eq(assessmentAttempt.id, sql.placeholder('attemptId')),
					eq(assessmentAttempt.userId, sql.placeholder('userId')),
					eq(assessmentAttempt.courseSlug, sql.placeholder('courseSlug'))
				)
			)
			.prepare()
	).get({ attemptId, userId, courseSlug });
}

export function scenarioPaths(db: Queryable, attemptId: number): Map<string, PathStep[]> {
	const rows = prepared(db, 'attempts.scenarioPaths', (db) =>
		db
			.select({
				q: scenarioStep.questionId,
				stepId: scenarioStep.stepId,
				choiceId: scenarioStep.choiceId
			})
			.from(scenarioStep)
			.where(eq(scenarioStep.attemptId, sql.placeholder('attemptId')))
			.orderBy(asc(scenarioStep.id))
			.prepare()
	).all({ attemptId });
	const paths = new Map<string, PathStep[]>();
	for (const r of rows)
		paths.set(r.q, [...(paths.get(r.q) ?? []), { stepId: r.stepId, choiceId: r.choiceId }]);
	return paths;
}

/** A placeholder where Drizzle's types want a value (it encodes the value by the column). */
const placeholder = <T>(name: string) => sql.placeholder(name) as unknown as T;

/** One graded answer (one statement, run per question: the number of questions varies). */
function insertAnswer(tx: Tx, row: typeof attemptAnswer.$inferInsert): void {
	prepared(tx, 'attempts.insertAnswer', (db) =>
		db
			.insert(attemptAnswer)
			.values({
				attemptId: sql.placeholder('attemptId'),
				questionId: sql.placeholder('questionId'),
				response: sql.placeholder('response'),
				earned: sql.placeholder('earned'),
				max: sql.placeholder('max')
			})
			.prepare()
	).run(row);
}

function gradeAttempt(
	tx: Tx,
	attemptId: number,
	grade: {
		status: 'submitted' | 'timed_out';
		submittedAt: Date;
		earnedPoints: number;
		maxPoints: number;
		score: number;
		passed: boolean;
	}
): void {
	prepared(tx, 'attempts.grade', (db) =>
		db
			.update(assessmentAttempt)
			.set({
				// Drizzle wraps each in its column's encoder (Date, boolean) as for any value;
				// its types do not admit placeholders in `set`.
				status: placeholder<'submitted' | 'timed_out'>('status'),
				submittedAt: placeholder<Date>('submittedAt'),
				earnedPoints: placeholder<number>('earnedPoints'),
				maxPoints: placeholder<number>('maxPoints'),
				score: placeholder<number>('score'),
				passed: placeholder<boolean>('passed')
			})
			.where(eq(assessmentAttempt.id, sql.placeholder('attemptId')))
			.prepare()
	).run({ ...grade, attemptId });
}

function isLate(attempt: AttemptRow, now: Date): boolean {
	return attempt.deadlineAt !== null && now.getTime() > attempt.deadlineAt.getTime() + GRACE_MS;
}

/**
 * Grades and closes an attempt in the caller's transaction: the answers given (a timed-out
 * attempt has only the scenario steps taken in time), the score, and on a pass with every
 * module done, the completion.
 */
function closeAttempt(
	tx: Tx,
	attempt: AttemptRow,
	course: Course,
	draw: Draw,
	chosen: Map<string, string[]>,
	status: 'submitted' | 'timed_out',
	now: Date,
	issuer = '',
	/** The scenario steps, when the caller has just read them in this transaction. */
	paths = scenarioPaths(tx, attempt.id)
): { passed: boolean; score: number } {
	const rows: (typeof attemptAnswer.$inferInsert)[] = [];
	for (const s of draw.scenarios) {
		const path = paths.get(s.question.id) ?? [];
		rows.push({
			attemptId: attempt.id,
			questionId: s.question.id,
			response: path.map((p) => p.choiceId),
			...gradeScenario(s.question, path)
		});
	}
	for (const q of draw.questions) {
		const ids = chosen.get(q.question.id) ?? [];
		rows.push({
			attemptId: attempt.id,
			questionId: q.question.id,
			response: ids,
			...gradeChoice(q.question, ids)
		});
	}
	for (const row of rows) insertAnswer(tx, row);
	const earned = rows.reduce((t, r) => t + r.earned, 0);
	const max = rows.reduce((t, r) => t + r.max, 0);
	const score = percent(earned, max);
	const passed = status === 'submitted' && earned * 100 >= course.meta.passingScore * max;
	gradeAttempt(tx, attempt.id, {
		status,
		submittedAt: now,
		earnedPoints: earned,
		maxPoints: max,
		score,
		passed
	});
	if (passed) {
		const done = completedModules(tx, attempt.userId, course.slug);
		if (course.modules.every((m) => done.has(m.slug))) {
			recordCompletion(tx, {
				userId: attempt.userId,
				course,
				attemptId: attempt.id,
				score,
				method: 'self-paced',
				issuer,
				now
			});
		}
	}
	return { passed, score };
}

/** Closes this learner's in-progress attempts whose time ran out (graded on what came in time). */
export function closeExpired(tx: Tx, userId: number, course: Course, now: Date): void {
	const open = prepared(tx, 'attempts.inProgress', (db) =>
		db
			.select()
			.from(assessmentAttempt)
			.where(
				and(
					eq(assessmentAttempt.userId, sql.placeholder('userId')),
					eq(assessmentAttempt.courseSlug, sql.placeholder('courseSlug')),
					eq(assessmentAttempt.status, 'in_progress')
				)
			)
			.prepare()
	).all({ userId, courseSlug: course.slug });
	for (const a of open) {
		if (isLate(a, now))
			closeAttempt(
				tx,
				a,
				course,
				drawAttempt(course.assessment, a.seed),
				new Map(),
				'timed_out',
				now
			);
	}
}

export type StepResult =
	| { ok: true }
	| {
			ok: false;
			reason:
				'not_found' | 'closed' | 'time_up' | 'scenario_finished' | 'stale_step' | 'invalid_choice';
	  };

/** Records one step of a scenario. A repeated post of a step already taken changes nothing. */
export function takeScenarioStep(
	db: DB,
	userId: number,
	course: Course,
	input: { attemptId: number; questionId: string; stepId: string; choice: number },
	now = new Date()
): StepResult {
	return db.transaction(
		(tx) => {
			const attempt = findAttempt(tx, userId, input.attemptId, course.slug);
			if (!attempt) return { ok: false, reason: 'not_found' };
			if (attempt.status !== 'in_progress') return { ok: false, reason: 'closed' };
			const draw = drawAttempt(course.assessment, attempt.seed);
			if (isLate(attempt, now)) {
				closeAttempt(tx, attempt, course, draw, new Map(), 'timed_out', now);
				return { ok: false, reason: 'time_up' };
			}
			const scenario = draw.scenarios.find((s) => s.question.id === input.questionId);
			if (!scenario) return { ok: false, reason: 'not_found' };
			const path = scenarioPaths(tx, attempt.id).get(scenario.question.id) ?? [];
			if (path.some((p) => p.stepId === input.stepId)) return { ok: true }; // a double post
			const position = scenarioPosition(scenario.question, path);
			if ('end' in position) return { ok: false, reason: 'scenario_finished' };
			if (position.step.id !== input.stepId) return { ok: false, reason: 'stale_step' };
			const choiceId = scenario.choiceOrder.get(position.step.id)?.[input.choice];
			if (choiceId === undefined) return { ok: false, reason: 'invalid_choice' };
			tx.insert(scenarioStep)
				.values({
					attemptId: attempt.id,
					questionId: scenario.question.id,
					stepId: position.step.id,
					choiceId,
					at: now
				})
				.run();
			return { ok: true };
		},
		{ behavior: 'immediate' }
	);
}

export type SubmitResult =
	| { ok: true; passed: boolean; score: number; alreadyGraded: boolean }
	| { ok: false; reason: 'not_found' | 'time_up' | 'scenarios_unfinished' }
	| { ok: false; reason: 'invalid'; errors: Record<string, string> };

/**
 * Grades a submitted attempt in one transaction (the server's own submissions go through
 * `submitInGroup`). `answers` maps question ids to positions in the shown option order.
 * Everything is checked before anything is written; a second submission of the same attempt
 * (double click, second tab) finds it graded and changes nothing.
 */
export function submitAttempt(
	db: DB,
	userId: number,
	course: Course,
	attemptId: number,
	answers: Map<string, number[]>,
	now = new Date(),
	issuer = 'Muster'
): SubmitResult {
	return db.transaction((tx) => submitIn(tx, userId, course, attemptId, answers, now, issuer), {
		behavior: 'immediate'
	});
}

/**
 * The same, sharing its commit with the submissions that arrive in the same turn of the event
 * loop (db/group-commit.ts): answered only once on disk, with one fsync for the group.
 */
export function submitInGroup(
	db: DB,
	userId: number,
	course: Course,
	attemptId: number,
	answers: Map<string, number[]>,
	now = new Date(),
	issuer = 'Muster'
): Promise<SubmitResult> {
	return commitInGroup(db, (tx) => submitIn(tx, userId, course, attemptId, answers, now, issuer));
}

function submitIn(
	tx: Tx,
	userId: number,
	course: Course,
	attemptId: number,
	answers: Map<string, number[]>,
	now: Date,
	issuer: string
): SubmitResult {
	const attempt = findAttempt(tx, userId, attemptId, course.slug);
	if (!attempt) return { ok: false, reason: 'not_found' };
	if (attempt.status !== 'in_progress') {
		return {
			ok: true,
			passed: attempt.passed ?? false,
			score: attempt.score ?? 0,
			alreadyGraded: true
		};
	}
	const draw = drawAttempt(course.assessment, attempt.seed);
	if (isLate(attempt, now)) {
		closeAttempt(tx, attempt, course, draw, new Map(), 'timed_out', now);
		return { ok: false, reason: 'time_up' };
	}
	const paths = scenarioPaths(tx, attempt.id);
	const unfinished = draw.scenarios.some(
		(s) => !('end' in scenarioPosition(s.question, paths.get(s.question.id) ?? []))
	);
	if (unfinished) return { ok: false, reason: 'scenarios_unfinished' };

	const errors: Record<string, string> = {};
	const chosen = new Map<string, string[]>();
	const drawn = new Set(draw.questions.map((q) => q.question.id));
	for (const id of answers.keys()) {
		if (!drawn.has(id))
			errors.form =
				'The form holds an answer to a question that is not in this attempt. Reload the page and try again.';
	}
	for (const q of draw.questions) {
		const positions = answers.get(q.question.id) ?? [];
		const ids = positions.map((p) => q.optionOrder[p]);
		if (positions.length === 0) errors[q.question.id] = 'Answer this question.';
		else if (ids.some((id) => id === undefined) || new Set(positions).size !== positions.length) {
			errors[q.question.id] = 'That answer is not one of the options.';
		} else if (q.question.kind === 'single' && ids.length !== 1)
			errors[q.question.id] = 'Choose one answer.';
		else chosen.set(q.question.id, ids as string[]);
	}
	if (Object.keys(errors).length) return { ok: false, reason: 'invalid', errors };
	const { passed, score } = closeAttempt(
		tx,
		attempt,
		course,
		draw,
		chosen,
		'submitted',
		now,
		issuer,
		paths
	);
	return { ok: true, passed, score, alreadyGraded: false };
}

export function listAttempts(db: DB, userId: number, courseSlug: string): AttemptRow[] {
	return db
		.select()
		.from(assessmentAttempt)
		.where(and(eq(assessmentAttempt.userId, userId), eq(assessmentAttempt.courseSlug, courseSlug)))
		.orderBy(desc(assessmentAttempt.number))
		.all();
}
