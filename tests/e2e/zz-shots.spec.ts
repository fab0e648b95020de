import { queryDb, signInAs, test } from './fixtures';
test('shots', async ({ page, request }) => {
	test.setTimeout(120_000);
	const [h] = queryDb<{ email: string; code: string }>(
		`select u.email, c.code from certificate c join user u on u.id = c.user_id where u.email like 'ana.%' order by c.id`
	);
	const text = await (await request.get(`/verify/${h!.code}/credential.json`)).text();
	for (const [w, hgt] of [[390, 844], [1280, 800]] as const) {
		await page.setViewportSize({ width: w, height: hgt });
		await page.goto(`/verify/${h!.code}`);
		await page.screenshot({ path: `/tmp/records-shots/verify-code-${w}.png`, fullPage: true });
		await page.goto('/verify');
		await page.getByLabel('Credential JSON').fill(text);
		await page.getByLabel('Holder’s email (optional)').fill(h!.email);
		await page.getByRole('button', { name: 'Check the credential' }).click();
		await page.getByText('Genuine and current.').waitFor();
		await page.screenshot({ path: `/tmp/records-shots/verify-report-${w}.png`, fullPage: true });
		await page.goto('/verify');
		await page.getByLabel('Credential JSON').fill('{ nope');
		await page.getByRole('button', { name: 'Check the credential' }).click();
		await page.getByText('This is not valid JSON.').waitFor();
		await page.screenshot({ path: `/tmp/records-shots/verify-error-${w}.png`, fullPage: true });
	}
	await signInAs(page, h!.email);
	for (const [w, hgt] of [[390, 844], [1280, 800]] as const) {
		await page.setViewportSize({ width: w, height: hgt });
		await page.goto('/me/certificates');
		await page.getByText('About the digital credential').click();
		await page.screenshot({ path: `/tmp/records-shots/me-certs-${w}.png`, fullPage: true });
	}
	await page.context().clearCookies();
	await signInAs(page, 'admin@muster.test');
	for (const [w, hgt] of [[390, 844], [1280, 800]] as const) {
		await page.setViewportSize({ width: w, height: hgt });
		await page.goto('/admin#chain-heading');
		await page.locator('section.chain').screenshot({ path: `/tmp/records-shots/admin-chain-${w}.png` });
	}
});
