import { e2eAccount, E2E_PASSWORD } from './accounts';
import { expect, expectAccessible, signInAs, signOut, test } from './fixtures';

const officer = 'officer@riverside.muster.test';
const admin = 'admin@muster.test';

test('an officer signs in and out; the old cookie stops working', async ({ page, context }) => {
	await page.goto('/');
	await expect(page).toHaveURL(/\/login\?next=%2F$/);
	await expectAccessible(page);

	await signInAs(page, officer);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome, Officer Luis Ramírez');
	await expectAccessible(page);
	const first = (await context.cookies()).find((c) => c.name === 'muster_session');
	expect(first?.httpOnly).toBe(true);
	expect(first?.sameSite).toBe('Lax');

	await page.goto('/logout');
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Sign out', exact: true }).click();
	await expect(page).toHaveURL(/\/login$/);

	// Put the old cookie back: the server must have ended that session.
	await context.addCookies([first!]);
	await page.goto('/');
	await expect(page).toHaveURL(/\/login/);

	await signInAs(page, officer);
	const second = (await context.cookies()).find((c) => c.name === 'muster_session');
	expect(second?.value).toBeTruthy();
	expect(second?.value).not.toBe(first?.value);
});

test('the sixth wrong password is refused with a plain explanation', async ({ page }, info) => {
	const email = e2eAccount('lockout', info.project.name);
	for (let i = 1; i <= 5; i++) {
		await page.goto('/login');
		await page.getByLabel('Email').fill(email);
		await page.getByLabel('Password').fill(`wrong guess ${i}`);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(page.getByRole('alert')).toContainText('do not match an account');
	}
	await expectAccessible(page);
	await page.getByLabel('Password').fill(E2E_PASSWORD);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('alert')).toContainText('Too many failed sign-ins');
	await expect(page.getByRole('alert')).toContainText(/Try again in 1[45] minutes/);
	await expect(page.getByLabel('Email')).toHaveValue(email);
});

test('what an officer types before the scripts arrive is kept', async ({ page }, info) => {
	test.skip(info.project.use.javaScriptEnabled === false, 'about hydration');
	// Hold the app's scripts back, as a slow phone on a patrol-car connection would.
	let release!: () => void;
	const held = new Promise<void>((resolve) => (release = resolve));
	await page.route('**/_app/immutable/**/*.js', async (route) => {
		await held;
		await route.continue();
	});
	const email = e2eAccount('lockout-slow', info.project.name);
	await page.goto('/login', { waitUntil: 'domcontentloaded' });
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill('typed before hydration');
	release();
	await page.waitForLoadState('networkidle');
	await expect(page.getByLabel('Email')).toHaveValue(email);
	await expect(page.getByLabel('Password')).toHaveValue('typed before hydration');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('alert')).toContainText('do not match an account');
	await expect(page.getByLabel('Email')).toHaveValue(email);
});

test('a password reset link works once', async ({ page, browser }, info) => {
	// Signing in as the instance admin takes a second step (MFA) on a busy two-core machine.
	test.setTimeout(60_000);
	const email = e2eAccount('reset', info.project.name);
	await page.goto('/reset');
	await expectAccessible(page);
	await page.getByLabel('Email').fill(email);
	await page.getByRole('button', { name: 'Send reset link' }).click();
	await expect(page.getByRole('status')).toContainText('we have sent it a link');
	await expectAccessible(page);

	// With no SMTP server configured, the instance admin reads the outbox.
	const adminPage = await (await browser.newContext()).newPage();
	await signInAs(adminPage, admin);
	await adminPage.goto('/admin/outbox');
	await expectAccessible(adminPage);
	const message = adminPage.locator('details', { hasText: `to ${email}` }).first();
	await message.locator('summary').click();
	const body = await message.locator('pre').innerText();
	const link = /http:\/\/localhost:\d+(\/reset\/[a-z2-7]+)/.exec(body)?.[1];
	expect(link).toBeTruthy();

	await page.goto(link!);
	await expectAccessible(page);
	await page.getByLabel('New password', { exact: true }).fill('password123');
	await page.getByLabel('Repeat the new password').fill('password123');
	await page.getByRole('button', { name: 'Set new password' }).click();
	await expect(page.locator('#field-password-error')).toContainText('too common');
	await expectAccessible(page);

	await page.getByLabel('New password', { exact: true }).fill('a fresh reset passphrase');
	await page.getByLabel('Repeat the new password').fill('a fresh reset passphrase');
	await page.getByRole('button', { name: 'Set new password' }).click();
	await expect(page).toHaveURL(/\/login\?reset=1$/);
	await expect(page.getByRole('status')).toContainText('password was changed');
	await signInAs(page, email, 'a fresh reset passphrase');
	await signOut(page);

	await page.goto(link!);
	await expect(page.getByRole('alert')).toContainText('expired or was already used');
});

test('disabling an account ends its sessions at once', async ({ page, browser }, info) => {
	test.setTimeout(60_000);
	const email = e2eAccount('disable', info.project.name);
	await signInAs(page, email, E2E_PASSWORD);

	const adminPage = await (await browser.newContext()).newPage();
	await signInAs(adminPage, admin);
	await adminPage.goto(`/admin/accounts?q=${encodeURIComponent(email)}`);
	await adminPage.getByRole('link', { name: `Disable ${email}` }).click();
	// A second page asks first; nothing is disabled until it is confirmed.
	await expect(adminPage.getByRole('heading', { level: 1 })).toHaveText(/^Disable .*account\?$/);
	await expect(adminPage.getByRole('status')).toHaveCount(0);
	await adminPage.getByRole('button', { name: 'Yes, disable the account' }).click();
	await expect(adminPage.getByRole('status')).toContainText('disabled');

	await page.goto('/');
	await expect(page).toHaveURL(/\/login/);
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(E2E_PASSWORD);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('alert')).toContainText('do not match an account');
});

test('a learner changes their password and other devices are signed out', async ({
	page,
	browser
}, info) => {
	const email = e2eAccount('change', info.project.name);
	const other = await (await browser.newContext()).newPage();
	await signInAs(other, email, E2E_PASSWORD);
	await signInAs(page, email, E2E_PASSWORD);
	await page.goto('/me/account');
	await expectAccessible(page);
	await page.getByLabel('Current password').fill('not my password');
	await page.getByLabel('New password', { exact: true }).fill('changed passphrase here');
	await page.getByLabel('Repeat the new password').fill('changed passphrase here');
	await page.getByRole('button', { name: 'Change password' }).click();
	await expect(page.locator('#field-current-error')).toContainText(
		'That is not your current password.'
	);
	await page.getByLabel('Current password').fill(E2E_PASSWORD);
	await page.getByLabel('New password', { exact: true }).fill('changed passphrase here');
	await page.getByLabel('Repeat the new password').fill('changed passphrase here');
	await page.getByRole('button', { name: 'Change password' }).click();
	await expect(page.getByRole('status')).toContainText('Your password was changed');
	await other.goto('/');
	await expect(other).toHaveURL(/\/login/);
});

test('the admin page is for instance administrators only', async ({ page }) => {
	await signInAs(page, officer);
	const response = await page.goto('/admin');
	expect(response?.status()).toBe(403);
	await expectAccessible(page);
});
