import type { Page } from '@playwright/test';
import type { Course } from '../../src/lib/server/courses/catalog';
import { drawAttempt } from '../../src/lib/server/assessments/draw';
import { expect, queryDb } from './fixtures';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The attempt open on the page, with its seed read from the database. */
export async function openAttempt(page: Page): Promise<{ id: number; seed: number }> {
	// The click that started it may still be on its way: wait for the attempt's own address.
	await page.waitForURL((url) => /\/assessment\/\d+$/.test(url.pathname));
	const id = Number(/\/assessment\/(\d+)$/.exec(new URL(page.url()).pathname)?.[1]);
	const [row] = queryDb<{ seed: number }>('select seed from assessment_attempt where id = ?', id);
	return { id, seed: row!.seed };
}

/**
 * Works through the open attempt as a learner would: every scenario step by choosing the best
 * (or worst) choice by its label, then every question right (or wrong), then submits.
 * `beforeSubmit` runs on the question page, before anything is graded.
 */
export async function playAttempt(
	page: Page,
	course: Course,
	good: boolean,
	beforeSubmit?: () => Promise<void>
): Promise<void> {
	const { seed } = await openAttempt(page);
	const draw = drawAttempt(course.assessment, seed);
	const steps = draw.scenarios.flatMap((s) => s.question.steps);
	while (await page.getByRole('button', { name: 'Continue' }).isVisible()) {
		const legend = (await page.locator('form fieldset legend').innerText()).trim();
		const step = steps.find((s) => s.text.trim() === legend);
		expect(step, `a scenario step reads "${legend}"`).toBeDefined();
		const pick = [...step!.choices].sort((a, b) =>
			good ? b.points - a.points : a.points - b.points
		)[0]!;
		await page.getByRole('radio', { name: pick.text, exact: true }).check();
		await page.getByRole('button', { name: 'Continue' }).click();
		// Wait for the next step (or the questions) to replace this one before looking again.
		await expect(page.locator('form fieldset legend').first()).not.toHaveText(legend);
	}
	for (const q of draw.questions) {
		const group = page.getByRole('group', { name: new RegExp(escape(q.question.prompt)) });
		const role = q.question.kind === 'single' ? 'radio' : 'checkbox';
		const targets = q.question.options.filter((o) => (o.correct === true) === good);
		for (const o of q.question.kind === 'single' ? targets.slice(0, 1) : targets) {
			await group.getByRole(role, { name: o.text, exact: true }).check();
		}
	}
	if (beforeSubmit) await beforeSubmit();
	await page.getByRole('button', { name: 'Submit my answers' }).click();
}

/** Every text an assessment must keep from the browser until the learner submits. */
export function secretsOf(course: Course): string[] {
	const fromAssessment = course.assessment.questions.flatMap((q) =>
		q.kind === 'scenario'
			? q.steps.flatMap((s) => s.choices.flatMap((c) => [c.feedback, ...(c.end ? [c.end] : [])]))
			: q.options.map((o) => o.feedback)
	);
	const fromChecks = course.modules.flatMap((m) =>
		m.check.flatMap((q) => q.options.map((o) => o.feedback))
	);
	return [...fromAssessment, ...fromChecks];
}
