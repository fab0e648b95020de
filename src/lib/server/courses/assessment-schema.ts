import { z } from 'zod';
import { slugSchema as slug } from './schema.js';

const line = (max: number) =>
	z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);

const option = z.strictObject({
	id: slug,
	text: line(400),
	correct: z.boolean().optional(),
	feedback: line(1000)
});

const uniqueIds = (items: { id: string }[]) =>
	new Set(items.map((i) => i.id)).size === items.length;

const single = z
	.strictObject({
		id: slug,
		kind: z.literal('single'),
		module: slug,
		prompt: line(800),
		options: z.array(option).min(2, 'needs at least two options').max(8)
	})
	.refine((q) => q.options.filter((o) => o.correct).length === 1, {
		message: 'a single question needs exactly one option with correct: true',
		path: ['options']
	});

const multiple = z
	.strictObject({
		id: slug,
		kind: z.literal('multiple'),
		module: slug,
		prompt: line(800),
		options: z.array(option).min(2, 'needs at least two options').max(10)
	})
	.refine((q) => q.options.some((o) => o.correct), {
		message: 'a multiple question needs at least one option with correct: true',
		path: ['options']
	});

const choice = z
	.strictObject({
		id: slug,
		text: line(400),
		points: z.number().int().min(0).max(3),
		feedback: line(1000),
		next: slug.optional(),
		end: line(1000).optional()
	})
	.refine((c) => (c.next === undefined) !== (c.end === undefined), {
		message: 'each choice needs either next (a step) or end (an outcome), not both'
	});

const step = z.strictObject({
	id: slug,
	text: line(1500),
	choices: z.array(choice).min(2, 'a step needs at least two choices').max(6)
});

const scenario = z.strictObject({
	id: slug,
	kind: z.literal('scenario'),
	module: slug,
	title: line(120),
	prompt: line(1500),
	start: slug,
	steps: z.array(step).min(2, 'a scenario needs at least two steps').max(8)
});

export const questionSchema = z.discriminatedUnion('kind', [single, multiple, scenario], {
	error: 'kind must be single, multiple or scenario'
});

export const assessmentSchema = z
	.strictObject({
		attempts: z.number().int().min(0).max(100),
		waitMinutes: z
			.number()
			.int()
			.min(0)
			.max(60 * 24 * 30),
		timeLimitMinutes: z.number().int().positive().max(600).optional(),
		showAnswers: z.enum(['after-submit', 'after-pass', 'never']),
		draw: z.number().int().positive().optional(),
		questions: z.array(questionSchema).min(1, 'needs at least one question')
	})
	.superRefine((a, ctx) => {
		const ids = new Set<string>();
		a.questions.forEach((q, i) => {
			if (ids.has(q.id))
				ctx.addIssue({
					code: 'custom',
					path: ['questions', i, 'id'],
					message: `duplicate question id "${q.id}"`
				});
			ids.add(q.id);
			if (q.kind !== 'scenario') {
				if (!uniqueIds(q.options))
					ctx.addIssue({
						code: 'custom',
						path: ['questions', i, 'options'],
						message: 'option ids must be unique'
					});
				return;
			}
			checkScenario(q, (path, message) =>
				ctx.addIssue({ code: 'custom', path: ['questions', i, ...path], message })
			);
		});
		const pool = a.questions.filter((q) => q.kind !== 'scenario').length;
		if (a.draw !== undefined && a.draw > pool) {
			ctx.addIssue({
				code: 'custom',
				path: ['draw'],
				message: `draws ${a.draw} but only ${pool} single and multiple questions exist`
			});
		}
	});

export type Assessment = z.infer<typeof assessmentSchema>;
export type Question = z.infer<typeof questionSchema>;
export type ScenarioQuestion = Extract<Question, { kind: 'scenario' }>;

type Report = (path: (string | number)[], message: string) => void;

/** Steps exist, are unique, all reachable from start, and never loop back. */
function checkScenario(q: ScenarioQuestion, report: Report): void {
	const index = new Map(q.steps.map((s, i) => [s.id, i]));
	if (index.size !== q.steps.length) report(['steps'], 'step ids must be unique');
	if (!index.has(q.start)) {
		report(['start'], `no step has the id "${q.start}"`);
		return;
	}
	q.steps.forEach((s, si) => {
		if (!uniqueIds(s.choices))
			report(['steps', si, 'choices'], 'choice ids must be unique in a step');
		s.choices.forEach((c, ci) => {
			if (c.next !== undefined && !index.has(c.next)) {
				report(['steps', si, 'choices', ci, 'next'], `no step has the id "${c.next}"`);
			}
		});
	});
	const state = new Map<string, 'open' | 'done'>();
	const visit = (id: string, path: (string | number)[]): void => {
		if (state.get(id) === 'done') return;
		if (state.get(id) === 'open') {
			report(path, `the scenario loops back to step "${id}"`);
			return;
		}
		state.set(id, 'open');
		const si = index.get(id)!;
		q.steps[si]!.choices.forEach((c, ci) => {
			if (c.next !== undefined && index.has(c.next))
				visit(c.next, ['steps', si, 'choices', ci, 'next']);
		});
		state.set(id, 'done');
	};
	visit(q.start, ['start']);
	q.steps.forEach((s, si) => {
		if (!state.has(s.id))
			report(['steps', si, 'id'], `step "${s.id}" cannot be reached from start`);
	});
}

/** The most points a learner can earn in a scenario: the best path from start to an end. */
export function scenarioMaxPoints(q: ScenarioQuestion): number {
	const byId = new Map(q.steps.map((s) => [s.id, s]));
	const memo = new Map<string, number>();
	const best = (id: string): number => {
		const known = memo.get(id);
		if (known !== undefined) return known;
		const s = byId.get(id)!;
		const value = Math.max(...s.choices.map((c) => c.points + (c.next ? best(c.next) : 0)));
		memo.set(id, value);
		return value;
	};
	return best(q.start);
}
