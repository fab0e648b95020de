import { gzipSync } from 'node:zlib';
import { PDFDocument } from 'pdf-lib';
import { buildCatalog } from '../../src/lib/server/courses/catalog';
import { readCourseFiles } from '../../src/lib/server/courses/read-files';
import { expect, expectAccessible, signInAs, test } from './fixtures';

const catalog = buildCatalog(readCourseFiles(process.cwd()));
const rollCall = catalog.bySlug.get('roll-call')!;
const [m1] = rollCall.modules;

test('the quick check is graded on the server and explains the answer', async ({ page }) => {
	await signInAs(page, 'volunteer@harbor.muster.test');
	const course = catalog.bySlug.get('volunteer-onboarding')!;
	const module = course.modules[0]!;
	const q = module.check[0]!;
	const wrong = q.options.findIndex((o) => !o.correct);
	const right = q.options.findIndex((o) => o.correct);
	await page.goto(`/courses/${course.slug}/${module.slug}`);
	// Before answering, no feedback text and no marker of the right answer is in the page.
	const before = await page.content();
	for (const o of q.options) expect(before).not.toContain(o.feedback);
	const group = page.getByRole('group', { name: q.prompt });
	await group.getByRole('radio', { name: q.options[wrong]!.text }).check();
	await page.getByRole('button', { name: 'Check my answers' }).click();
	await expect(group.getByText('Not quite.')).toBeVisible();
	await expect(group.getByText(q.options[wrong]!.feedback)).toBeVisible();
	await expectAccessible(page);
	await group.getByRole('radio', { name: q.options[right]!.text }).check();
	await page.getByRole('button', { name: 'Check my answers' }).click();
	await expect(group.getByText('Correct.')).toBeVisible();
});

test('every course and module page passes axe and shows its sources', async ({ page }, info) => {
	test.skip(info.project.name !== 'chromium', 'axe needs JavaScript; the HTML is the same');
	test.setTimeout(120_000);
	await signInAs(page, 'chief@campus.muster.test');
	for (const course of catalog.courses) {
		await page.goto(`/courses/${course.slug}`);
		await expectAccessible(page);
		for (const m of course.modules) {
			await page.goto(`/courses/${course.slug}/${m.slug}`);
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(m.title);
			await expect(page.getByRole('heading', { name: 'Sources' })).toBeVisible();
			await expect(page.getByText(/Content last reviewed/)).toBeVisible();
			await expectAccessible(page);
		}
	}
});

test('module pages read on a phone: nothing wider than the screen, the quick check full width', async ({
	page
}, info) => {
	test.skip(info.project.name !== 'chromium', 'layout is the same without JavaScript');
	test.setTimeout(90_000);
	await page.setViewportSize({ width: 375, height: 740 });
	await signInAs(page, 'chief@campus.muster.test');
	for (const course of catalog.courses) {
		for (const m of course.modules) {
			await page.goto(`/courses/${course.slug}/${m.slug}`);
			const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
			expect(overflow, `${m.slug} scrolls sideways`).toBeLessThanOrEqual(375);
			if (!m.check.length) continue;
			const check = page.getByRole('region', { name: 'Quick check' });
			const heading = await check.getByRole('heading', { name: 'Quick check' }).boundingBox();
			const question = await check.getByRole('group').first().boundingBox();
			// The questions sit under their heading and use the width of the page.
			expect(question!.y, `${m.slug}: questions below the heading`).toBeGreaterThan(heading!.y);
			expect(question!.width, `${m.slug}: question width`).toBeGreaterThan(375 - 2 * 32);
		}
	}
});

test('a lesson page ships at most 60 KB of gzipped JavaScript', async ({ page }, info) => {
	test.skip(info.project.name !== 'chromium', 'measures the JavaScript a browser loads');
	await signInAs(page, 'volunteer@harbor.muster.test');
	const scripts = new Map<string, number>();
	page.on('response', async (response) => {
		if (response.request().resourceType() !== 'script') return;
		scripts.set(response.url(), gzipSync(await response.body()).length);
	});
	await page.goto(`/courses/roll-call/${m1!.slug}`, { waitUntil: 'networkidle' });
	const total = [...scripts.values()].reduce((a, b) => a + b, 0);
	console.info(
		`lesson page JavaScript: ${scripts.size} files, ${(total / 1024).toFixed(1)} KB gzipped`
	);
	expect(scripts.size).toBeGreaterThan(0);
	expect(total).toBeLessThanOrEqual(60 * 1024);
});

test.describe('the pocket reference card', () => {
	test('is public, accessible, and prints on one page', async ({ page, browserName }, info) => {
		await page.goto('/reference');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(
			'Pocket reference: human trafficking'
		);
		const main = page.getByRole('main');
		// Who to call comes first, each number a call button a thumb can hit (44 px).
		const hotline = main.getByRole('link', { name: 'Call 1-888-373-7888' });
		await expect(hotline).toBeVisible();
		await expect(main.getByRole('link', { name: 'Call 1-866-347-2423' })).toBeVisible();
		expect((await hotline.boundingBox())!.height).toBeGreaterThanOrEqual(44);
		const headings = await main.getByRole('heading', { level: 2 }).allInnerTexts();
		expect(headings[0]).toBe('Who to call');
		await expectAccessible(page);
		if (info.project.name === 'chromium' && browserName === 'chromium') {
			await page.emulateMedia({ media: 'print' });
			const pdf = await page.pdf({ format: 'Letter' });
			expect((await PDFDocument.load(pdf)).getPageCount()).toBe(1);
		}
	});

	test('works offline once visited', async ({ page, context }, info) => {
		test.skip(info.project.name !== 'chromium', 'the service worker needs JavaScript');
		await page.goto('/reference');
		await page.evaluate(async () => {
			const registration = await navigator.serviceWorker.ready;
			return registration.active?.state;
		});
		await page.reload(); // now controlled by the service worker
		await context.setOffline(true);
		await page.reload();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(
			'Pocket reference: human trafficking'
		);
		await context.setOffline(false);
	});
});
