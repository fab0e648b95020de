import { buildCatalog } from '../../src/lib/server/courses/catalog';
import { readCourseFiles } from '../../src/lib/server/courses/read-files';
import { E2E_PASSWORD, e2eAccount } from './accounts';
import { expect, expectAccessible, queryDb, signInAs, test } from './fixtures';

// The behaviour the design pass changed: the module's one way on, the error summary, search
// that ignores accents, the confirmation step on /admin, and times in the reader's zone.

const catalog = buildCatalog(readCourseFiles(process.cwd()));

test('a module ends with one Save and continue, before the sources, that records it', async ({
	page
}, info) => {
	const email = e2eAccount('ui', info.project.name);
	const course = catalog.bySlug.get('victim-centered-interviewing')!;
	const [first, second] = course.modules;
	await signInAs(page, email, E2E_PASSWORD);
	await page.goto(`/courses/${course.slug}/${first!.slug}`);
	const save = page.getByRole('button', { name: 'Save and continue' });
	await expect(save).toHaveCount(1);
	// No way on that skips recording the module.
	await expect(page.getByRole('link', { name: /^Next/ })).toHaveCount(0);
	const sources = page.getByRole('heading', { name: 'Sources' });
	expect((await save.boundingBox())!.y).toBeLessThan((await sources.boundingBox())!.y);
	await save.click();
	await expect(page).toHaveURL(`/courses/${course.slug}/${second!.slug}`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(second!.title);
	const rows = queryDb<{ n: number }>(
		`select count(*) as n from module_progress p join user u on u.id = p.user_id
		 where u.email = ? and p.course_slug = ? and p.module_slug = ?`,
		email,
		course.slug,
		first!.slug
	);
	expect(rows[0]!.n).toBe(1);
});

test('a failed form shows an error summary that links to its fields', async ({ page }, info) => {
	await signInAs(page, 'admin@muster.test');
	await page.goto('/admin/organizations');
	await page.getByLabel('Name', { exact: true }).fill('Summary Test Org');
	await page.getByLabel('Address').fill('Not A Valid Address');
	await page
		.getByLabel('First administrator’s email')
		.fill(`summary-${info.project.name}@example.org`);
	await page.getByRole('button', { name: 'Create organization' }).click();

	const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
	await expect(summary).toBeVisible();
	await expect(page).toHaveTitle(/^Error: Organizations/);
	const link = summary.getByRole('link', {
		name: 'Use lower-case letters, digits and single dashes.'
	});
	await expect(link).toHaveAttribute('href', '#field-slug');
	// The summary takes the focus (autofocus without scripts, focus() after an enhanced post).
	await expect(summary).toBeFocused();
	// The message sits above its field, and what was typed is kept.
	const address = page.getByLabel('Address');
	const message = page.locator('#field-slug-error');
	expect((await message.boundingBox())!.y).toBeLessThan((await address.boundingBox())!.y);
	await expect(address).toHaveValue('Not A Valid Address');
	await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Summary Test Org');
	await expectAccessible(page);
	await link.click();
	if (info.project.name === 'chromium') await expect(address).toBeFocused();
	else await expect(page).toHaveURL(/#field-slug$/);
	expect(queryDb("select id from organization where name = 'Summary Test Org'")).toEqual([]);
});

test('searching members ignores accents and case', async ({ page }) => {
	await signInAs(page, 'sergeant@riverside.muster.test');
	await page.goto('/orgs/riverside-pd/members');
	await page.getByLabel('Name, email or badge').fill('RAMIREZ');
	await page.getByRole('button', { name: 'Filter' }).click();
	await expect(page).toHaveURL(/q=RAMIREZ/);
	await expect(page.getByRole('link', { name: 'Officer Luis Ramírez' })).toBeVisible();
	await expect(page.getByRole('status')).toHaveText(/^\s*1\s+member/);
});

test('the dashboard’s counts open the filtered member list', async ({ page }) => {
	await signInAs(page, 'sergeant@riverside.muster.test');
	await page.goto('/orgs/riverside-pd');
	await page.getByRole('link', { name: /have not completed Roll-call/ }).click();
	await expect(page).toHaveURL(/training=not-completed/);
	await expect(page.getByRole('status')).toContainText('who have not completed');
	await expect(page.locator('tbody .tag', { hasText: /^Completed/ })).toHaveCount(0);
});

test('an administrator cannot disable their own account', async ({ page, baseURL }) => {
	await signInAs(page, 'admin@muster.test');
	const [me] = queryDb<{ id: number }>("select id from user where email = 'admin@muster.test'");
	await page.goto(`/admin/accounts/${me!.id}`);
	await expect(page.getByText('This is your own account.')).toBeVisible();
	await expect(page.getByRole('button', { name: /disable/i })).toHaveCount(0);
	// Posting anyway is refused on the server.
	const response = await page.request.post(`/admin/accounts/${me!.id}?/disable`, {
		headers: { Origin: baseURL!, Accept: 'text/html' },
		form: { confirm: 'yes' }
	});
	const body = await response.text();
	expect(response.status(), body.slice(0, 3000)).toBe(400);
	expect(body).toContain('You cannot disable your own account.');
	const [row] = queryDb<{ disabled_at: number | null }>(
		"select disabled_at from user where email = 'admin@muster.test'"
	);
	expect(row!.disabled_at).toBeNull();
});

test.describe('times', () => {
	test.use({ timezoneId: 'Asia/Tokyo' });

	test('staff pages show times in the organization’s zone, whatever the browser’s', async ({
		page
	}) => {
		await signInAs(page, 'coordinator@harbor.muster.test'); // Harbor Light: America/Los_Angeles
		await page.goto('/orgs/harbor-light/invites');
		await page.getByLabel('How many people may use it').fill('1');
		await page.getByRole('button', { name: 'Create invite link' }).click();
		await expect(page.getByRole('textbox', { name: 'Invite link' })).toBeVisible();
		const first = page.locator('tbody time').first();
		await expect(first).toHaveText(/^\d{1,2} \w+ \d{4}, \d{1,2}:\d\d (am|pm) PT$/);
	});
});

test.describe('a learner without an organization', () => {
	test.use({ timezoneId: 'America/New_York' });

	test('sees Take the assessment once every module is done, and the deadline with a countdown', async ({
		page,
		baseURL
	}, info) => {
		const email = e2eAccount('ui', info.project.name);
		const course = catalog.bySlug.get('campus-guide')!;
		await signInAs(page, email, E2E_PASSWORD);
		for (const m of course.modules) {
			const r = await page.request.post(`/courses/${course.slug}/${m.slug}?/complete`, {
				headers: { Origin: baseURL! },
				form: {},
				maxRedirects: 0
			});
			expect(r.status()).toBeLessThan(400);
		}
		await page.goto('/');
		const take = page.getByRole('link', {
			name: /^Take the assessment\s*: Human trafficking: a guide for campus/
		});
		await expect(take).toHaveClass(/\bbutton\b/);
		await take.click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Assessment');
		await page.getByRole('button', { name: 'Start the assessment' }).click();
		await page.waitForURL(/\/assessment\/\d+$/);
		const deadline = page.locator('.notice time');
		const limit = course.assessment.timeLimitMinutes!;
		// The server writes its own zone; the browser's zone replaces it once scripts run.
		const zone = info.project.name === 'chromium' ? 'ET' : '[A-Z]+';
		await expect(deadline).toHaveText(
			new RegExp(
				`^(\\d{1,2} \\w+ \\d{4}, )?\\d{1,2}:\\d\\d (am|pm) ${zone}, (${limit}|${limit - 1}) minutes left$`
			)
		);
	});
});
