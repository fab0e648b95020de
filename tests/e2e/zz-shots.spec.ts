import { E2E_PASSWORD, rollcallOfficer } from './accounts';
import { expect, signInAs, test } from './fixtures';

const dir = '/tmp/rollcall-shots';
test('shots', async ({ browser }, info) => {
	test.skip(info.project.name !== 'chromium');
	test.setTimeout(120_000);
	for (const [w, h] of [
		[1280, 800],
		[390, 844]
	] as const) {
		const ctx = await browser.newContext({ viewport: { width: w, height: h } });
		const page = await ctx.newPage();
		await signInAs(page, 'sergeant@riverside.muster.test');
		await page.goto('/orgs/riverside-pd/rollcall');
		await page.screenshot({ path: `${dir}/list-${w}.png`, fullPage: true });
		await page.getByLabel('Module').selectOption('roll-call/who-to-call');
		await page.getByRole('button', { name: 'Start the session' }).click();
		await page.waitForURL(/present$/);
		const code = (await page.locator('.code').textContent())!.replace(/\s/g, '');
		await page.screenshot({ path: `${dir}/present-${w}.png`, fullPage: true });
		if (w === 1280) {
			await page.setViewportSize({ width: 1280, height: 720 });
			await page.screenshot({ path: `${dir}/present-1280x720.png` });
			await page.keyboard.press('ArrowRight');
			await expect(page).toHaveURL(/step=2/);
			await page.screenshot({ path: `${dir}/present-step2-1280x720.png` });
			await page.setViewportSize({ width: 1280, height: 800 });
		}
		const o = await browser.newContext({ viewport: { width: w, height: h } });
		const op = await o.newPage();
		await signInAs(op, rollcallOfficer(w === 1280 ? 'a' : 'b', 'no-js'), E2E_PASSWORD);
		await op.goto('/rollcall');
		await op.screenshot({ path: `${dir}/join-${w}.png`, fullPage: true });
		await op.goto(`/rollcall/${code}`);
		await op.screenshot({ path: `${dir}/join-code-${w}.png`, fullPage: true });
		await op.getByRole('button', { name: 'Join the session' }).click();
		await expect(op.getByRole('heading', { name: 'Quick check' })).toBeVisible();
		await op.screenshot({ path: `${dir}/joined-${w}.png`, fullPage: true });
		await expect(page.getByTestId('joined-count')).toHaveText('1');
		await page.screenshot({ path: `${dir}/present-joined-${w}.png`, fullPage: true });
		await page.getByRole('link', { name: 'Manage and close' }).click();
		await page.waitForURL(/rollcall\/\d+$/);
		await page.screenshot({ path: `${dir}/session-${w}.png`, fullPage: true });
		await page.getByRole('button', { name: /^Close and record/ }).click();
		await expect(page.getByRole('heading', { name: /^Recorded/ })).toBeVisible();
		await page.getByRole('button', { name: 'Assign the make-up' }).click();
		await expect(page.getByRole('status')).toBeVisible();
		await page.screenshot({ path: `${dir}/closed-${w}.png`, fullPage: true });
		await op.goto('/me/certificates');
		await op.screenshot({ path: `${dir}/certs-${w}.png`, fullPage: true });
		await ctx.close();
		await o.close();
	}
});
