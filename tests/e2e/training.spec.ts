import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { expect, expectAccessible, queryDb, signInAs, test } from './fixtures';

// Required training, as the demo sergeant and the demo officer see it on first start.

test('the sergeant sees the demo statuses, filters overdue, opens a transcript and downloads the CSV and PDF', async ({
	page
}) => {
	test.setTimeout(180_000);
	await signInAs(page, 'sergeant@riverside.muster.test');
	await page.goto('/orgs/riverside-pd');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Riverside Police Department');
	await expect(page.getByRole('heading', { name: 'Required training' })).toBeVisible();
	const table = page.getByRole('table', { name: 'Required training by course' });
	await expect(table.getByRole('row', { name: /Roll-call|roll call/i }).first()).toBeVisible();
	await expect(
		page.getByRole('img', { name: 'Completions per month, last 12 months' })
	).toBeVisible();
	await expectAccessible(page);

	// The demo has overdue people; the count links to them.
	const overdueLink = page.getByRole('link', { name: /people are overdue/ });
	const n = Number(/(\d+)/.exec(await overdueLink.innerText())![1]);
	expect(n).toBeGreaterThan(0);
	await overdueLink.click();
	await expect(page).toHaveURL(/\/matrix\?status=overdue/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Required training matrix');
	await expect(page.getByRole('status')).toContainText(`${n} ${n === 1 ? 'person' : 'people'}`);
	const rows = page.locator('table.matrix tbody tr');
	await expect(rows).toHaveCount(n);
	for (const row of await rows.all()) await expect(row).toContainText('Overdue');
	await expectAccessible(page);

	// The other statuses of the demo are there too.
	await page.getByLabel('Status').selectOption('exempt');
	await page.getByRole('button', { name: 'Filter' }).click();
	await expect(page).toHaveURL(/status=exempt/);
	await expect(rows.first()).toContainText('Exempt');
	await page.getByLabel('Status').selectOption('overdue');
	await page.getByRole('button', { name: 'Filter' }).click();
	await expect(page).toHaveURL(/status=overdue/);

	const name = (await rows.first().getByRole('link').innerText()).trim();
	await rows.first().getByRole('link').click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
	await expect(page.getByRole('heading', { name: 'Credit hours' })).toBeVisible();
	await expect(page.getByRole('table', { name: 'Required training' })).toContainText('Overdue');
	await expectAccessible(page);

	const [pdf] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: 'Download the transcript as PDF' }).click()
	]);
	expect(pdf.suggestedFilename()).toMatch(/^transcript-.+\.pdf$/);
	expect(
		readFileSync((await pdf.path())!)
			.subarray(0, 5)
			.toString()
	).toBe('%PDF-');

	await page.goto('/orgs/riverside-pd');
	const [csv] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: 'Completions (CSV)' }).click()
	]);
	expect(csv.suggestedFilename()).toBe('riverside-pd-completions.csv');
	const records = parse(readFileSync((await csv.path())!), { columns: true }) as Record<
		string,
		string
	>[];
	const [{ n: expected }] = queryDb<{ n: number }>(
		"select count(*) n from completion c join membership m on m.user_id = c.user_id join organization o on o.id = m.org_id where o.slug = 'riverside-pd'"
	) as [{ n: number }];
	expect(records).toHaveLength(expected);
	expect(Object.keys(records[0]!)[0]).toBe('Member name');
	expect(records.every((r) => r.Provider === 'Riverside Police Department')).toBe(true);
});

test('the required-training page and the assignments form work and pass axe', async ({ page }) => {
	await signInAs(page, 'sergeant@riverside.muster.test');
	await page.goto('/orgs/riverside-pd/assignments');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Required training');
	await expect(page.getByRole('table', { name: 'Requirements in force' })).toContainText(
		'Every year'
	);
	await expectAccessible(page);
	// A bad date is a message next to the field, not a 500.
	await page.getByLabel('Due date (for “By a date”)').fill('');
	await page.getByRole('button', { name: 'Require this course' }).click();
	await expect(page.getByText('Enter the due date as a date')).toBeVisible();

	await page.goto('/orgs/riverside-pd/insights');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Scenario insights');
	await expect(page.getByText('Too few to show').first()).toBeVisible();
	await expectAccessible(page);
});

test('the officer’s home shows required training first, and their transcript', async ({ page }) => {
	await signInAs(page, 'officer@riverside.muster.test');
	await page.goto('/');
	const headings = page.getByRole('heading', { level: 2 });
	await expect(headings.first()).toHaveText('Required');
	const card = page.getByRole('list', { name: 'Required' }).getByRole('listitem').first();
	await expect(card).toContainText('Roll');
	await expect(card).toContainText(/Due soon|In progress|Completed|Overdue|Expiring/);
	await expect(card).toContainText('Riverside Police Department');
	await expectAccessible(page);

	await page.goto('/me/transcript');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('My transcript');
	await expect(page.getByRole('heading', { name: 'Credit hours' })).toBeVisible();
	await expectAccessible(page);
	const pdf = await page.request.get('/me/transcript.pdf');
	expect(pdf.status()).toBe(200);
	expect(pdf.headers()['content-type']).toBe('application/pdf');

	await page.goto('/me/account');
	await expect(page.getByRole('heading', { name: 'Reminders sent to you' })).toBeVisible();
});
