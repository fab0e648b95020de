import { describe, expect, it } from 'vitest';
import {
	startAttempt,
	submitAttempt,
	takeScenarioStep
} from '../../src/lib/server/assessments/attempts';
import { checkEligibility } from '../../src/lib/server/assessments/eligibility';
import { drawAttempt } from '../../src/lib/server/assessments/draw';
import { gradeChoice, gradeScenario, percent } from '../../src/lib/server/assessments/grade';
import { attemptForm, attemptResults } from '../../src/lib/server/assessments/view';
import type { Course } from '../../src/lib/server/courses/catalog';
import type { DB } from '../../src/lib/server/db';
import {
	answersFor,
	catalog,
	completeAllModules,
	scenarioWalk,
	withRules
} from '../fixtures/courses';
import { makeUser, testDb } from '../fixtures/db';

const rollCall = catalog.bySlug.get('roll-call')!;
const minutes = (t: Date, m: number) => new Date(t.getTime() + m * 60_000);

function seedOf(db: DB, attemptId: number): number {
	return (
		db.$client.prepare('select seed from assessment_attempt where id = ?').get(attemptId) as {
			seed: number;
		}
	).seed;
}

/** Plays every scenario (best or worst path), then submits right or wrong answers. */
function takeAttempt(
	db: DB,
	userId: number,
	course: Course,
	attemptId: number,
	good: boolean,
	now = new Date()
) {
	const seed = seedOf(db, attemptId);
	for (const s of drawAttempt(course.assessment, seed).scenarios) {
		for (const step of scenarioWalk(course, seed, s.question.id, good)) {
			expect(
				takeScenarioStep(db, userId, course, { attemptId, questionId: s.question.id, ...step }, now)
			).toEqual({ ok: true });
		}
	}
	return submitAttempt(db, userId, course, attemptId, answersFor(course, seed, good), now);
}

async function ready(course: Course) {
	const db = testDb();
	const u = await makeUser(db);
	completeAllModules(db, u.id, course);
	return { db, u };
}

const count = (db: DB, table: string) =>
	(db.$client.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;

describe('grading each kind of question', () => {
	const single = rollCall.assessment.questions.find((q) => q.kind === 'single')!;
	const multiple = rollCall.assessment.questions.find((q) => q.kind === 'multiple')!;
	const scenario = rollCall.assessment.questions.find((q) => q.kind === 'scenario')!;

	it('single choice: the one right option earns the point, any other earns none', () => {
		const right = single.options.find((o) => o.correct)!.id;
		const wrong = single.options.find((o) => !o.correct)!.id;
		expect(gradeChoice(single, [right])).toEqual({ earned: 1, max: 1 });
		expect(gradeChoice(single, [wrong])).toEqual({ earned: 0, max: 1 });
	});

	it('multiple choice: only exactly the right set earns the point', () => {
		const right = multiple.options.filter((o) => o.correct).map((o) => o.id);
		const wrong = multiple.options.filter((o) => !o.correct).map((o) => o.id);
		expect(gradeChoice(multiple, right)).toEqual({ earned: 1, max: 1 });
		expect(gradeChoice(multiple, right.slice(0, -1)).earned).toBe(0);
		expect(gradeChoice(multiple, [...right, wrong[0]!]).earned).toBe(0);
	});

	it('scenario: the path taken earns its points out of the best path', () => {
		if (scenario.kind !== 'scenario') throw new Error('unreachable');
		const best = scenarioWalk(rollCall, 1, scenario.id, true);
		const worst = scenarioWalk(rollCall, 1, scenario.id, false);
		const draw = drawAttempt(rollCall.assessment, 1).scenarios.find(
			(s) => s.question.id === scenario.id
		)!;
		const toPath = (posts: { stepId: string; choice: number }[]) =>
			posts.map((p) => ({
				stepId: p.stepId,
				choiceId: draw.choiceOrder.get(p.stepId)![p.choice]!
			}));
		const good = gradeScenario(scenario, toPath(best));
		const bad = gradeScenario(scenario, toPath(worst));
		expect(good.earned).toBe(good.max);
		expect(bad.earned).toBeLessThan(good.max);
	});

	it('rounds the score down so a near miss is not a pass', () => {
		expect(percent(79, 99)).toBe(79);
		expect(percent(4, 5)).toBe(80);
	});

	it('passes good answers and fails bad ones end to end, writing the completion with the pass', async () => {
		const { db, u } = await ready(rollCall);
		const first = startAttempt(db, u.id, rollCall);
		if (!first.ok) throw new Error(first.reason);
		const failed = takeAttempt(db, u.id, rollCall, first.attemptId, false, new Date());
		expect(failed).toMatchObject({ ok: true, passed: false });
		expect(count(db, 'completion')).toBe(0);

		const course = withRules('roll-call', { waitMinutes: 0 });
		const second = startAttempt(db, u.id, course);
		if (!second.ok) throw new Error(second.reason);
		const passed = takeAttempt(db, u.id, course, second.attemptId, true);
		expect(passed).toMatchObject({ ok: true, passed: true, score: 100 });
		const c = db.$client
			.prepare(
				'select course_slug as course, content_version as v, attempt_id as a, score, method from completion'
			)
			.all();
		expect(c).toEqual([
			{
				course: 'roll-call',
				v: rollCall.meta.version,
				a: second.attemptId,
				score: 100,
				method: 'self-paced'
			}
		]);
		expect(checkEligibility(db, u.id, course)).toEqual({ ok: false, reason: 'completed' });
		const audited = db.$client
			.prepare(
				"select actor_id as actor, subject_type as type from audit_event where action = 'course.complete'"
			)
			.all();
		expect(audited).toEqual([{ actor: u.id, type: 'completion' }]);
	});
});

describe('attempt rules, enforced on the server', () => {
	it('requires every module before the first attempt', async () => {
		const db = testDb();
		const u = await makeUser(db);
		expect(startAttempt(db, u.id, rollCall)).toEqual({ ok: false, reason: 'modules_incomplete' });
	});

	it('makes the learner wait after a failed attempt', async () => {
		const { db, u } = await ready(rollCall);
		const t0 = new Date('2026-06-01T09:00:00Z');
		const a = startAttempt(db, u.id, rollCall, t0);
		if (!a.ok) throw new Error(a.reason);
		takeAttempt(db, u.id, rollCall, a.attemptId, false, minutes(t0, 5));
		const early = startAttempt(db, u.id, rollCall, minutes(t0, 20));
		expect(early).toEqual({
			ok: false,
			reason: 'wait',
			until: minutes(t0, 5 + rollCall.assessment.waitMinutes)
		});
		expect(
			startAttempt(db, u.id, rollCall, minutes(t0, 6 + rollCall.assessment.waitMinutes)).ok
		).toBe(true);
	});

	it('enforces the time limit with a short grace period', async () => {
		const course = withRules('roll-call', { timeLimitMinutes: 30 });
		const { db, u } = await ready(course);
		const t0 = new Date('2026-06-01T09:00:00Z');
		const a = startAttempt(db, u.id, course, t0);
		if (!a.ok) throw new Error(a.reason);
		const late = new Date(t0.getTime() + 30 * 60_000 + 61_000);
		const seed = seedOf(db, a.attemptId);
		const s = drawAttempt(course.assessment, seed).scenarios[0]!;
		const step = scenarioWalk(course, seed, s.question.id, true)[0]!;
		expect(
			takeScenarioStep(
				db,
				u.id,
				course,
				{ attemptId: a.attemptId, questionId: s.question.id, ...step },
				late
			)
		).toEqual({ ok: false, reason: 'time_up' });
		const row = db.$client.prepare('select status, passed from assessment_attempt').get();
		expect(row).toEqual({ status: 'timed_out', passed: 0 });
		expect(
			submitAttempt(db, u.id, course, a.attemptId, answersFor(course, seed, true), late)
		).toMatchObject({ ok: true, alreadyGraded: true, passed: false });
		expect(count(db, 'completion')).toBe(0);
	});

	it('accepts answers within the grace period', async () => {
		const course = withRules('roll-call', { timeLimitMinutes: 30 });
		const { db, u } = await ready(course);
		const t0 = new Date('2026-06-01T09:00:00Z');
		const a = startAttempt(db, u.id, course, t0);
		if (!a.ok) throw new Error(a.reason);
		const result = takeAttempt(
			db,
			u.id,
			course,
			a.attemptId,
			true,
			new Date(t0.getTime() + 30 * 60_000 + 30_000)
		);
		expect(result).toMatchObject({ ok: true, passed: true });
	});

	it('never allows more attempts than the limit, and one completion, under 50 concurrent tries', async () => {
		const course = withRules('roll-call', { waitMinutes: 0, attempts: 3 });
		const { db, u } = await ready(course);
		const tries = Array.from({ length: 50 }, (_, i) =>
			Promise.resolve().then(() => {
				const a = startAttempt(db, u.id, course);
				if (!a.ok) return a.reason;
				return takeAttempt(db, u.id, course, a.attemptId, i % 7 === 6).ok ? 'graded' : 'refused';
			})
		);
		const outcomes = await Promise.all(tries);
		expect(count(db, 'assessment_attempt')).toBeLessThanOrEqual(3);
		expect(count(db, 'completion')).toBeLessThanOrEqual(1);
		expect(outcomes.filter((o) => o === 'graded').length).toBe(count(db, 'assessment_attempt'));
		expect(outcomes.filter((o) => o === 'no_attempts_left' || o === 'completed').length).toBe(
			50 - count(db, 'assessment_attempt')
		);
	});

	it('writes exactly one completion when 50 passing tries arrive at once', async () => {
		const course = withRules('roll-call', { waitMinutes: 0, attempts: 3 });
		const { db, u } = await ready(course);
		const outcomes = await Promise.all(
			Array.from({ length: 50 }, () =>
				Promise.resolve().then(() => {
					const a = startAttempt(db, u.id, course);
					return a.ok ? takeAttempt(db, u.id, course, a.attemptId, true) : a.reason;
				})
			)
		);
		expect(count(db, 'completion')).toBe(1);
		expect(count(db, 'assessment_attempt')).toBe(1);
		expect(outcomes.filter((o) => o === 'completed')).toHaveLength(49);
	});

	it('grades an attempt submitted twice (double click, two tabs) once', async () => {
		const { db, u } = await ready(rollCall);
		const a = startAttempt(db, u.id, rollCall);
		if (!a.ok) throw new Error(a.reason);
		const first = takeAttempt(db, u.id, rollCall, a.attemptId, true);
		const again = submitAttempt(
			db,
			u.id,
			rollCall,
			a.attemptId,
			answersFor(rollCall, seedOf(db, a.attemptId), false)
		);
		expect(first).toMatchObject({ ok: true, passed: true, alreadyGraded: false });
		expect(again).toMatchObject({ ok: true, passed: true, alreadyGraded: true });
		expect(count(db, 'completion')).toBe(1);
		expect(count(db, 'attempt_answer')).toBe(
			drawAttempt(rollCall.assessment, seedOf(db, a.attemptId)).questions.length + 3
		);
	});
});

describe('drawing and showing an attempt', () => {
	it('draws the pool and shuffles options from the stored seed, and shows it again identically', async () => {
		const { db, u } = await ready(rollCall);
		const a = startAttempt(db, u.id, rollCall);
		if (!a.ok) throw new Error(a.reason);
		const attempt = () => db.$client.prepare('select * from assessment_attempt').get();
		const row = () => {
			const r = attempt() as Record<string, unknown>;
			return { id: r.id as number, seed: r.seed as number };
		};
		const draw = drawAttempt(rollCall.assessment, row().seed);
		expect(draw.questions).toHaveLength(rollCall.assessment.draw!);
		expect(drawAttempt(rollCall.assessment, row().seed)).toEqual(draw);
		const differs = [1, 2, 3, 4, 5].some(
			(s) =>
				JSON.stringify(drawAttempt(rollCall.assessment, s).questions.map((q) => q.optionOrder)) !==
				JSON.stringify(draw.questions.map((q) => q.optionOrder))
		);
		expect(differs).toBe(true);

		// Walk the scenarios so the question form shows, then compare it with a second rendering.
		const seed = row().seed;
		for (const s of draw.scenarios) {
			for (const step of scenarioWalk(rollCall, seed, s.question.id, true)) {
				takeScenarioStep(db, u.id, rollCall, {
					attemptId: a.attemptId,
					questionId: s.question.id,
					...step
				});
			}
		}
		const { findAttempt } = await import('../../src/lib/server/assessments/attempts');
		const before = attemptForm(db, rollCall, findAttempt(db, u.id, a.attemptId, 'roll-call')!);
		expect(attemptForm(db, rollCall, findAttempt(db, u.id, a.attemptId, 'roll-call')!)).toEqual(
			before
		);
		submitAttempt(db, u.id, rollCall, a.attemptId, answersFor(rollCall, seed, true));
		const results = attemptResults(db, rollCall, findAttempt(db, u.id, a.attemptId, 'roll-call')!);
		if (before.stage !== 'questions') throw new Error('expected the question form');
		// The results list the same questions with the same options in the same order.
		const shown = results.items.filter((i) => i.kind !== 'scenario');
		expect(shown.map((i) => i.id)).toEqual(before.questions.map((q) => q.id));
		for (const [n, q] of before.questions.entries()) {
			const item = shown[n]!;
			expect(item.options.map((o) => o.text)).toEqual(q.options);
		}
	});

	it('sends no feedback, points, right answers or outcomes before submission', async () => {
		const { db, u } = await ready(rollCall);
		const a = startAttempt(db, u.id, rollCall);
		if (!a.ok) throw new Error(a.reason);
		const { findAttempt } = await import('../../src/lib/server/assessments/attempts');
		const seed = seedOf(db, a.attemptId);
		const forms: unknown[] = [];
		for (const s of drawAttempt(rollCall.assessment, seed).scenarios) {
			for (const step of scenarioWalk(rollCall, seed, s.question.id, true)) {
				forms.push(attemptForm(db, rollCall, findAttempt(db, u.id, a.attemptId, 'roll-call')!));
				takeScenarioStep(db, u.id, rollCall, {
					attemptId: a.attemptId,
					questionId: s.question.id,
					...step
				});
			}
		}
		forms.push(attemptForm(db, rollCall, findAttempt(db, u.id, a.attemptId, 'roll-call')!));
		const sent = JSON.stringify(forms);
		expect(sent).not.toMatch(/"(correct|feedback|points|end)"/);
		for (const q of rollCall.assessment.questions) {
			const secrets =
				q.kind === 'scenario'
					? q.steps.flatMap((s) =>
							s.choices.flatMap((c) => [c.feedback, ...(c.end ? [c.end] : [])])
						)
					: q.options.map((o) => o.feedback);
			for (const secret of secrets) expect(sent).not.toContain(secret);
		}
	});
});

describe('malformed submissions are refused and nothing is recorded', () => {
	async function started() {
		const { db, u } = await ready(rollCall);
		const a = startAttempt(db, u.id, rollCall);
		if (!a.ok) throw new Error(a.reason);
		const seed = seedOf(db, a.attemptId);
		for (const s of drawAttempt(rollCall.assessment, seed).scenarios) {
			for (const step of scenarioWalk(rollCall, seed, s.question.id, true)) {
				takeScenarioStep(db, u.id, rollCall, {
					attemptId: a.attemptId,
					questionId: s.question.id,
					...step
				});
			}
		}
		return { db, u, attemptId: a.attemptId, good: answersFor(rollCall, seed, true) };
	}
	const untouched = (db: DB) => {
		expect(count(db, 'attempt_answer')).toBe(0);
		expect(count(db, 'completion')).toBe(0);
		expect(db.$client.prepare('select status from assessment_attempt').get()).toEqual({
			status: 'in_progress'
		});
	};

	it('a missing answer', async () => {
		const { db, u, attemptId, good } = await started();
		const [first] = good.keys();
		good.delete(first!);
		const r = submitAttempt(db, u.id, rollCall, attemptId, good);
		expect(r).toEqual({
			ok: false,
			reason: 'invalid',
			errors: { [first!]: 'Answer this question.' }
		});
		untouched(db);
	});

	it('an extra answer to a question not in the attempt', async () => {
		const { db, u, attemptId, good } = await started();
		good.set('not-a-question', [0]);
		const r = submitAttempt(db, u.id, rollCall, attemptId, good);
		expect(r.ok === false && r.reason === 'invalid' && r.errors.form).toMatch(
			/not in this attempt/
		);
		untouched(db);
	});

	it('an option that does not exist, or two answers to a single question', async () => {
		const { db, u, attemptId, good } = await started();
		const [first] = good.keys();
		good.set(first!, [42]);
		expect(submitAttempt(db, u.id, rollCall, attemptId, good)).toMatchObject({
			ok: false,
			reason: 'invalid'
		});
		const draw = drawAttempt(rollCall.assessment, seedOf(db, attemptId));
		const single = draw.questions.find((q) => q.question.kind === 'single')!;
		const fresh = answersFor(rollCall, seedOf(db, attemptId), true);
		fresh.set(single.question.id, [0, 1]);
		expect(submitAttempt(db, u.id, rollCall, attemptId, fresh)).toMatchObject({
			ok: false,
			reason: 'invalid'
		});
		untouched(db);
	});

	it('another learner’s attempt id', async () => {
		const { db, attemptId, good } = await started();
		const other = await makeUser(db);
		completeAllModules(db, other.id, rollCall);
		expect(submitAttempt(db, other.id, rollCall, attemptId, good)).toEqual({
			ok: false,
			reason: 'not_found'
		});
		expect(
			takeScenarioStep(db, other.id, rollCall, {
				attemptId,
				questionId: 'x',
				stepId: 'y',
				choice: 0
			})
		).toEqual({ ok: false, reason: 'not_found' });
		untouched(db);
	});
});
