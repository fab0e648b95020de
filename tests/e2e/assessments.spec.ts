import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { buildCatalog, type Course } from '../../src/lib/server/courses/catalog';
import { readCourseFiles } from '../../src/lib/server/courses/read-files';
import { answersFor, scenarioWalk } from '../fixtures/courses';
import { drawAttempt } from '../../src/lib/server/assessments/draw';
import { e2eAccount, E2E_PASSWORD } from './accounts';
import { openAttempt, playAttempt, secretsOf } from './attempts';
import { expect, expectAccessible, queryDb, signInAs, test } from './fixtures';

const catalog = buildCatalog(readCourseFiles(process.cwd()));

async function completeModules(page: Page, course: Course, origin: string): Promise<void> {
	for (const m of course.modules) {
		const r = await page.request.post(`/courses/${course.slug}/${m.slug}?/complete`, {
			headers: { Origin: origin, Accept: 'text/html' },
			form: {},
			maxRedirects: 0
		});
		expect(r.status()).toBe(303);
	}
}

test('the production bundle holds no answer key, feedback or points', () => {
	const files: string[] = [];
	const walk = (dir: string) => {
		for (const name of readdirSync(dir)) {
			const full = join(dir, name);
			if (statSync(full).isDirectory()) walk(full);
			else if (/\.(js|css|html|json|txt|svg)$/.test(name)) files.push(full);
		}
	};
	walk('build/client');
	expect(files.length).toBeGreaterThan(10);
	const bundle = files.map((f) => readFileSync(f, 'utf8')).join('\n');
	for (const course of catalog.courses) {
		for (const secret of secretsOf(course))
			expect(bundle, 'feedback text in build/client').not.toContain(secret);
	}
	expect(bundle).not.toMatch(/correct:\s*true|"correct":\s*true|points:\s*\d|"points":\s*\d/);
	// The lessons themselves are there, so the scan is looking in the right place.
	const lessonPhrase = catalog.bySlug.get('roll-call')!.meta.title;
	expect(
		bundle.includes(lessonPhrase) ||
			files.some((f) => f.includes('roll-call')) ||
			bundle.includes('The scene')
	).toBe(true);
});

test('every course’s assessment can be taken and passed, and its pages pass axe', async ({
	page,
	baseURL
}, info) => {
	test.setTimeout(120_000);
	await signInAs(page, e2eAccount('courses', info.project.name), E2E_PASSWORD);
	for (const course of catalog.courses) {
		await completeModules(page, course, baseURL!);
		await page.goto(`/courses/${course.slug}/assessment`);
		await expectAccessible(page);
		await page.getByRole('button', { name: 'Start the assessment' }).click();
		await expectAccessible(page);
		await playAttempt(page, course, true, () => expectAccessible(page));
		await expect(page.getByRole('status')).toContainText('Passed');
		await expectAccessible(page);
	}
});

test('an attempt can be taken by keyboard alone', async ({ page }, info) => {
	test.skip(info.project.name !== 'chromium', 'keyboard checks run once');
	// The learner who passed every course above cannot retake; a fresh volunteer can.
	await signInAs(page, 'volunteer@harbor.muster.test');
	const course = catalog.bySlug.get('volunteer-onboarding')!;
	for (const m of course.modules) {
		await page.goto(`/courses/${course.slug}/${m.slug}`);
		await page.getByRole('button', { name: 'Save and continue' }).focus();
		await page.keyboard.press('Enter');
		await page.waitForURL((u) => !u.pathname.endsWith(`/${m.slug}`));
	}
	await page.goto(`/courses/${course.slug}/assessment`);
	await page.getByRole('button', { name: /Start the assessment|Continue your attempt/ }).focus();
	await page.keyboard.press('Enter');
	await page.waitForURL(/\/assessment\/\d+$/);
	const { seed } = await openAttempt(page);
	const draw = drawAttempt(course.assessment, seed);
	for (const s of draw.scenarios) {
		for (const step of scenarioWalk(course, seed, s.question.id, true)) {
			const text = s.question.steps
				.find((x) => x.id === step.stepId)!
				.choices.find((c) => c.id === s.choiceOrder.get(step.stepId)![step.choice])!.text;
			await page.getByRole('radio', { name: text, exact: true }).focus();
			await page.keyboard.press('Space');
			await page.keyboard.press('Enter'); // submits the form from the focused radio
			await page.waitForLoadState('load');
		}
	}
	for (const [qid, positions] of answersFor(course, seed, true)) {
		const q = draw.questions.find((x) => x.question.id === qid)!;
		for (const p of positions) {
			const text = q.question.options.find((o) => o.id === q.optionOrder[p])!.text;
			await page
				.getByRole(q.question.kind === 'single' ? 'radio' : 'checkbox', { name: text, exact: true })
				.focus();
			await page.keyboard.press('Space');
		}
	}
	await page.getByRole('button', { name: 'Submit my answers' }).focus();
	await page.keyboard.press('Enter');
	await expect(page.getByRole('status')).toContainText('Passed');
});

test('50 simultaneous starts and submissions make one attempt, graded once', async ({
	page,
	baseURL
}, info) => {
	test.setTimeout(60_000);
	const email = e2eAccount('concurrent', info.project.name);
	await signInAs(page, email, E2E_PASSWORD);
	const course = catalog.bySlug.get('volunteer-onboarding')!;
	await completeModules(page, course, baseURL!);
	// A browser's form post: SvelteKit answers it with a real 303 redirect.
	const headers = { Origin: baseURL!, Accept: 'text/html' };
	const post = (url: string, form: Record<string, string> | FormData = {}) =>
		page.request.post(url, {
			headers,
			...(form instanceof FormData ? { multipart: form } : { form }),
			maxRedirects: 0
		});

	const starts = await Promise.all(
		Array.from({ length: 50 }, () => post(`/courses/${course.slug}/assessment?/start`))
	);
	const targets = new Set(starts.map((r) => r.headers()['location']));
	expect(starts.every((r) => r.status() === 303)).toBe(true);
	expect(targets.size).toBe(1);
	const attemptPath = [...targets][0]!;
	const id = Number(/\/(\d+)$/.exec(attemptPath)![1]);
	const { seed } = queryDb<{ seed: number }>(
		'select seed from assessment_attempt where id = ?',
		id
	)[0]!;

	for (const s of drawAttempt(course.assessment, seed).scenarios) {
		for (const step of scenarioWalk(course, seed, s.question.id, true)) {
			const steps = await Promise.all(
				Array.from({ length: 5 }, () =>
					post(`${attemptPath}?/step`, {
						scenario: s.question.id,
						step: step.stepId,
						choice: String(step.choice)
					})
				)
			);
			expect(steps.every((r) => r.status() === 303)).toBe(true);
		}
	}
	const body = new URLSearchParams();
	for (const [qid, positions] of answersFor(course, seed, true))
		for (const p of positions) body.append(`q-${qid}`, String(p));
	const submits = await Promise.all(
		Array.from({ length: 50 }, () =>
			page.request.post(`${attemptPath}?/submit`, {
				headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
				data: body.toString(),
				maxRedirects: 0
			})
		)
	);
	expect(submits.every((r) => r.status() === 303)).toBe(true);
	const counts = queryDb<{ attempts: number; answers: number; completions: number; steps: number }>(
		`select (select count(*) from assessment_attempt a join user u on u.id = a.user_id where u.email = @email) as attempts,
		        (select count(*) from attempt_answer where attempt_id = @id) as answers,
		        (select count(*) from completion c join user u on u.id = c.user_id where u.email = @email) as completions,
		        (select count(*) from scenario_step where attempt_id = @id) as steps`,
		{ email, id }
	)[0]!;
	const draw = drawAttempt(course.assessment, seed);
	expect(counts.attempts).toBe(1);
	expect(counts.answers).toBe(draw.questions.length + draw.scenarios.length);
	expect(counts.completions).toBe(1);
	expect(counts.steps).toBe(
		draw.scenarios.reduce((t, s) => t + scenarioWalk(course, seed, s.question.id, true).length, 0)
	);
});

test('malformed and foreign submissions are refused with a message, nothing recorded', async ({
	page,
	baseURL,
	browser
}, info) => {
	// A learner of its own: the demo's staff have already passed their organization's course.
	await signInAs(page, e2eAccount('malformed', info.project.name), E2E_PASSWORD);
	const course = catalog.bySlug.get('volunteer-onboarding')!;
	await completeModules(page, course, baseURL!);
	const start = await page.request.post(`/courses/${course.slug}/assessment?/start`, {
		headers: { Origin: baseURL!, Accept: 'text/html' },
		form: {},
		maxRedirects: 0
	});
	expect(start.status()).toBe(303);
	const attemptPath = start.headers()['location']!;
	const html = { Origin: baseURL!, Accept: 'text/html' };
	const junk = await page.request.post(`${attemptPath}?/submit`, {
		headers: html,
		form: { 'q-nope': '0', sneaky: 'x' }
	});
	expect(junk.status()).toBe(400);
	expect(await junk.text()).toContain('not an answer');
	const badStep = await page.request.post(`${attemptPath}?/step`, {
		headers: html,
		form: { scenario: 'x', step: 'y' }
	});
	expect(badStep.status()).toBe(400);
	expect(await badStep.text()).toContain('Choose one of the options');

	// Another learner asking for this attempt, or posting to it, gets "not found".
	const other = await (await browser.newContext()).newPage();
	await signInAs(other, 'chief@campus.muster.test');
	expect((await other.goto(attemptPath))?.status()).toBe(404);
	const foreign = await other.request.post(`${attemptPath}?/submit`, {
		headers: html,
		form: { 'q-x': '0' }
	});
	expect(foreign.status()).toBe(404);
	const id = Number(/\/(\d+)$/.exec(attemptPath)![1]);
	expect(
		queryDb<{ n: number }>('select count(*) as n from attempt_answer where attempt_id = ?', id)[0]!
			.n
	).toBe(0);
	expect(
		queryDb<{ status: string }>('select status from assessment_attempt where id = ?', id)[0]!.status
	).toBe('in_progress');
});
