import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { PDFDocument } from 'pdf-lib';
import { buildCatalog } from '../../src/lib/server/courses/catalog';
import { readCourseFiles } from '../../src/lib/server/courses/read-files';
import { E2E_DB, journeyLearner } from './accounts';
import { openAttempt, playAttempt, secretsOf } from './attempts';
import { expect, expectAccessible, queryDb, signInAs, signOut, test } from './fixtures';

// The officer's story, in order: read, resume, finish the modules, fail the assessment, pass it.
// The JavaScript project follows the demo officer; the no-JavaScript project its own learner.

const catalog = buildCatalog(readCourseFiles(process.cwd()));
const rollCall = catalog.bySlug.get('roll-call')!;
const [m1, m2, m3, m4] = rollCall.modules;

test.describe.configure({ mode: 'serial' });

test('reads two modules, signs out and in, and resumes at the third', async ({ page }, info) => {
	const learner = journeyLearner(info.project.name);
	await signInAs(page, learner.email, learner.password);
	await page.goto('/courses');
	await expectAccessible(page);
	await page.getByRole('link', { name: rollCall.meta.title }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(rollCall.meta.title);
	await expectAccessible(page);
	await page.getByRole('link', { name: /^Start/ }).click();
	await expect(page).toHaveURL(`/courses/roll-call/${m1!.slug}`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(m1!.title);
	await page.getByRole('button', { name: 'Save and continue' }).click();
	await expect(page).toHaveURL(`/courses/roll-call/${m2!.slug}`);
	await expect(page.getByText(`Module 2 of ${rollCall.modules.length}`)).toBeVisible();
	await page.getByRole('button', { name: 'Save and continue' }).click();
	await expect(page).toHaveURL(`/courses/roll-call/${m3!.slug}`);

	await signOut(page);
	await signInAs(page, learner.email, learner.password);
	await expect(page.getByText(`2 of ${rollCall.modules.length} modules done`)).toBeVisible();
	await page.goto('/courses/roll-call');
	await expect(page.getByText(`2 of ${rollCall.modules.length} modules done`)).toBeVisible();
	await page.getByRole('link', { name: /^Resume/ }).click();
	await expect(page).toHaveURL(`/courses/roll-call/${m3!.slug}`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(m3!.title);
});

test('completing a module twice at once records it once', async ({ page, baseURL }, info) => {
	const learner = journeyLearner(info.project.name);
	await signInAs(page, learner.email, learner.password);
	const url = `/courses/roll-call/${m4!.slug}?/complete`;
	const post = () =>
		page.request.post(url, { headers: { Origin: baseURL! }, form: {}, maxRedirects: 0 });
	const answers = await Promise.all([post(), post(), post()]);
	for (const a of answers) expect(a.status()).toBeLessThan(400);
	const rows = queryDb<{ n: number }>(
		`select count(*) as n from module_progress p join user u on u.id = p.user_id
			 where u.email = ? and p.course_slug = 'roll-call' and p.module_slug = ?`,
		learner.email,
		m4!.slug
	);
	expect(rows[0]!.n).toBe(1);
});

test('finishes the modules, fails the assessment once, waits, passes, and completes the course', async ({
	page
}, info) => {
	test.setTimeout(90_000);
	const learner = journeyLearner(info.project.name);
	await signInAs(page, learner.email, learner.password);
	await page.goto('/courses/roll-call');
	while (await page.getByRole('link', { name: /^Resume/ }).isVisible()) {
		await page.getByRole('link', { name: /^Resume/ }).click();
		await page.waitForURL(/\/courses\/roll-call\/[^/?]+$/);
		const reading = page.url();
		await page.getByRole('button', { name: 'Save and continue' }).click();
		await page.waitForURL((url) => url.href !== reading);
		await page.goto('/courses/roll-call');
	}
	await page.getByRole('link', { name: 'Take the assessment' }).first().click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Assessment');
	await expectAccessible(page);

	await page.getByRole('button', { name: 'Start the assessment' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Attempt \d+$/);
	await expectAccessible(page);
	await playAttempt(page, rollCall, false, async () => {
		// Before submission, neither the page nor its data holds any feedback or outcome.
		const html = await page.content();
		const data = await page.request.get(`${new URL(page.url()).pathname}/__data.json`);
		const sent = html + (await data.text());
		for (const secret of secretsOf(rollCall)) expect(sent).not.toContain(secret);
		await expectAccessible(page);
	});
	await expect(page.getByRole('status')).toContainText('Not passed');
	await expectAccessible(page);
	const failed = await openAttempt(page);

	await page.goto('/courses/roll-call/assessment');
	await expect(page.getByText(/You can start your next attempt after/)).toBeVisible();
	await expect(page.getByRole('button', { name: 'Start the assessment' })).toHaveCount(0);
	// Let the waiting time pass: move the failed attempt back by the course's wait.
	const db = new Database(E2E_DB);
	const wait = (rollCall.assessment.waitMinutes + 1) * 60_000;
	db.prepare('update assessment_attempt set submitted_at = submitted_at - ? where id = ?').run(
		wait,
		failed.id
	);
	db.close();

	await page.reload();
	await page.getByRole('button', { name: 'Start the assessment' }).click();
	await playAttempt(page, rollCall, true);
	await expect(page.getByRole('status')).toContainText('Passed');
	await expect(page.getByRole('status')).toContainText('The course is complete.');
	await page.goto('/courses/roll-call');
	await expect(page.getByText(/Completed on/)).toBeVisible();
	// Home no longer sends the learner to the assessment: the course shows as completed, with
	// its certificate (under "Required" for the demo officer, whose department requires it).
	await page.goto('/');
	const done = page
		.getByRole('list', { name: info.project.name === 'chromium' ? 'Required' : 'Completed' })
		.getByRole('listitem')
		.filter({ hasText: rollCall.meta.title });
	await expect(done.getByText(/^Completed( · valid until \d{1,2} \w+ \d{4})?$/)).toBeVisible();
	await expect(done.getByRole('link', { name: /Download your certificate/ })).toHaveAttribute(
		'href',
		/^\/certificates\/[0-9A-Z]+\.pdf$/
	);
	await expect(
		page.getByRole('link', { name: `Take the assessment: ${rollCall.meta.title}` })
	).toHaveCount(0);
	await expect(page.getByRole('heading', { name: 'Your courses' })).toHaveCount(0);
	const completions = queryDb<{ n: number }>(
		"select count(*) as n from completion c join user u on u.id = c.user_id where u.email = ? and c.course_slug = 'roll-call'",
		learner.email
	);
	expect(completions[0]!.n).toBe(1);
});

test('downloads the certificate, verifies it, and sees it revoked by an admin', async ({
	page,
	browser
}, info) => {
	// The instance admin signs in with a second step (MFA) further down.
	test.setTimeout(60_000);
	const learner = journeyLearner(info.project.name);
	await signInAs(page, learner.email, learner.password);
	await page.goto('/me/certificates');
	await expectAccessible(page);
	const card = page.getByRole('listitem').filter({ hasText: rollCall.meta.title });
	await expect(card.getByText('Valid', { exact: true })).toBeVisible();
	const display = (await card.locator('.code').innerText()).trim();

	const href = await card.getByRole('link', { name: /Download PDF/ }).getAttribute('href');
	const pdf = await page.request.get(href!);
	expect(pdf.headers()['content-type']).toBe('application/pdf');
	expect(pdf.headers()['content-disposition']).toMatch(
		/attachment; filename="muster-certificate-.+\.pdf"/
	);
	const bytes = await pdf.body();
	expect((await PDFDocument.load(bytes)).getPageCount()).toBe(1);
	const dir = mkdtempSync(join(tmpdir(), 'muster-cert-'));
	writeFileSync(join(dir, 'c.pdf'), bytes);
	const text = execFileSync('pdftotext', ['-layout', join(dir, 'c.pdf'), '-'], {
		encoding: 'utf8'
	});
	const [holder] = queryDb<{ name: string }>(
		'select name from user where email = ?',
		learner.email
	);
	expect(text).toContain(holder!.name);
	expect(text).toContain(display);

	// Another learner cannot download it; a signed-out visitor is sent to sign in.
	const other = await (await browser.newContext()).newPage();
	await signInAs(other, 'volunteer@harbor.muster.test');
	expect((await other.request.get(href!)).status()).toBe(404);
	const anonymous = await (await browser.newContext()).request.get(href!, { maxRedirects: 0 });
	expect(anonymous.status()).toBe(303);

	// Anyone can verify it, typing the code loosely.
	const visitor = await (await browser.newContext()).newPage();
	await visitor.goto('/verify');
	await expectAccessible(visitor);
	await visitor
		.getByLabel('Verification code')
		.fill(` ${display.toLowerCase().replaceAll('-', ' ')} `);
	await visitor.getByRole('button', { name: 'Verify' }).click();
	await expect(visitor.getByRole('status')).toContainText('Valid.');
	await expect(visitor.getByText(holder!.name)).toBeVisible();
	await expectAccessible(visitor);
	const verifyUrl = visitor.url();
	expect((await visitor.request.get(verifyUrl)).headers()['x-robots-tag']).toBe('noindex');

	const admin = await (await browser.newContext()).newPage();
	await signInAs(admin, 'admin@muster.test');
	await admin.goto('/admin/certificates');
	await admin.getByLabel('Verification code').fill(display);
	await admin.getByLabel(/^Reason/).selectOption('issued_in_error');
	await admin.getByLabel(/^Internal note/).fill('Test of revocation');
	await admin.getByRole('button', { name: 'Continue' }).click();
	// The confirmation page names whose certificate it is; nothing is revoked yet.
	await expect(admin.getByRole('heading', { level: 1 })).toHaveText('Revoke this certificate?');
	await expect(admin.getByText(holder!.name)).toBeVisible();
	await expectAccessible(admin);
	await visitor.reload();
	await expect(visitor.getByRole('status')).toContainText('Valid.');
	await admin.getByRole('button', { name: 'Yes, revoke the certificate' }).click();
	await expect(admin.getByRole('status')).toContainText('is revoked');

	await visitor.reload();
	await expect(visitor.getByRole('status')).toContainText('Revoked');
	await expect(visitor.getByRole('status')).toContainText('Issued in error');
	await expect(visitor.getByText('Test of revocation')).toHaveCount(0);
	await page.goto('/me/certificates');
	await expect(card.getByText('Revoked', { exact: true })).toBeVisible();
});

test('an unknown code says so plainly', async ({ page }) => {
	await page.goto('/verify/7KQ2M9XD01ABCDEFGHJKMNPQRS');
	await expect(page.getByRole('status')).toContainText('No certificate has this code.');
	await page.goto('/verify?code=not-a-code');
	await expect(page.locator('#code-error')).toContainText('That is not a certificate code.');
});
