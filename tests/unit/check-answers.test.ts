import { describe, expect, it } from 'vitest';
import { readCheckAnswers } from '../../src/lib/server/learning/check-answers';
import { catalog } from '../fixtures/courses';

const module = catalog.bySlug.get('roll-call')!.modules[0]!;
const form = (entries: Record<string, string>) => {
	const f = new FormData();
	for (const [k, v] of Object.entries(entries)) f.set(k, v);
	return f;
};

describe('readCheckAnswers (module page and roll-call page)', () => {
	it('reads the chosen options, skipping unanswered questions', () => {
		const [q1, q2] = module.check;
		const r = readCheckAnswers(form({ [`q-${q1!.id}`]: '1', other: 'x' }), module);
		expect(r).toEqual({ ok: true, answers: new Map([[q1!.id, 1]]) });
		expect(q2 === undefined || !(r.ok && r.answers.has(q2.id))).toBe(true);
	});

	it('names the question whose answer is not an option, and asks for at least one answer', () => {
		const q = module.check[0]!;
		for (const bad of [String(q.options.length), '-1', '1.5', 'a', '007'])
			expect(readCheckAnswers(form({ [`q-${q.id}`]: bad }), module)).toEqual({
				ok: false,
				errors: { [q.id]: 'That answer is not one of the options.' }
			});
		expect(readCheckAnswers(form({}), module)).toEqual({
			ok: false,
			errors: { check: 'Choose an answer to at least one question.' }
		});
	});
});
