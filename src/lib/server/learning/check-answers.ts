import type { CourseModule } from '../courses';

export type CheckAnswers =
	{ ok: true; answers: Map<string, number> } | { ok: false; errors: Record<string, string> };

/**
 * A module's quick-check answers from a posted form (`q-<question id>` = the option's index),
 * for the module page and the roll-call join page alike. An unanswered question is skipped; an
 * answer that is not one of the options is an error on that question; no answer at all is an
 * error on the form's `check` field.
 */
export function readCheckAnswers(
	form: FormData,
	module: Pick<CourseModule, 'check'>
): CheckAnswers {
	const answers = new Map<string, number>();
	const errors: Record<string, string> = {};
	for (const q of module.check) {
		const value = form.get(`q-${q.id}`);
		if (value === null) continue;
		const n = typeof value === 'string' && /^\d{1,2}$/.test(value) ? Number(value) : NaN;
		if (!Number.isInteger(n) || n >= q.options.length)
			errors[q.id] = 'That answer is not one of the options.';
		else answers.set(q.id, n);
	}
	if (Object.keys(errors).length) return { ok: false, errors };
	if (answers.size === 0)
		return { ok: false, errors: { check: 'Choose an answer to at least one question.' } };
	return { ok: true, answers };
}
