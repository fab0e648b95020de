import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';
import type { Page } from '@playwright/test';
import { e2eAccount, E2E_PASSWORD, mfaOrg } from './accounts';
import { expect, expectAccessible, queryDb, signOut, test } from './fixtures';

// Multi-factor sign-in: each project's own supervisors (tests/e2e/serve.ts) enrol, sign out
// and sign back in with each factor; an org admin requires MFA of the organization's staff.

/** The code an authenticator app would show, for a step the server has not accepted yet. */
function appCode(email: string, secret: string): string {
	const [row] = queryDb<{ last_step: number | null }>(
		`SELECT f.last_step FROM totp_factor f JOIN user u ON u.id = f.user_id
		 WHERE u.email = ? AND f.confirmed_at IS NOT NULL AND f.removed_at IS NULL
		 ORDER BY f.id DESC LIMIT 1`,
		email
	);
	const now = Math.floor(Date.now() / 30_000);
	// One step ahead is within the accepted clock drift: no need to wait for the next step.
	const step = Math.max(now, (row?.last_step ?? -1) + 1);
	expect(step, 'a fresh step within the drift window').toBeLessThanOrEqual(now + 1);
	return generateHOTP(decodeBase32IgnorePadding(secret), BigInt(step), 6);
}

async function passwordStep(page: Page, email: string, path = '/login'): Promise<void> {
	await page.goto(path, { waitUntil: 'networkidle' });
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(E2E_PASSWORD);
	await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Adds an authenticator app on /me/account/mfa; returns its secret and any recovery codes. */
async function addApp(page: Page, email: string): Promise<{ secret: string; codes: string[] }> {
	await page.getByRole('button', { name: 'Add an authenticator app' }).click();
	const secretBox = page.getByTestId('totp-secret');
	await expect(secretBox).toBeVisible();
	await expect(page.getByRole('img', { name: /QR code for your authenticator app/ })).toBeVisible();
	await expectAccessible(page);
	const secret = (await secretBox.textContent())!.replace(/\s/g, '');
	expect(secret).toMatch(/^[A-Z2-7]{32}$/);
	await page.getByLabel('Code the app shows').fill(appCode(email, secret));
	await page.getByRole('button', { name: 'Confirm and add the app' }).click();
	const codes = page.getByRole('region', { name: 'Save your recovery codes' });
	const added = page.getByRole('status').filter({ hasText: 'authenticator app was added' });
	await expect(codes.or(added)).toBeVisible();
	await expect(secretBox).toBeHidden();
	await expect(
		page.getByRole('list', { name: 'Your sign-in methods' }).getByText(/^Authenticator app/)
	).toBeVisible();
	const list = (await codes.isVisible()) ? await codes.locator('li code').allTextContents() : [];
	return { secret, codes: list };
}

function mailsTo(email: string, like: string): number {
	return queryDb<{ n: number }>(
		'SELECT count(*) AS n FROM outbox WHERE "to" = ? AND subject LIKE ?',
		email,
		`%${like}%`
	)[0]!.n;
}

function audits(email: string, action: string): number {
	return queryDb<{ n: number }>(
		'SELECT count(*) AS n FROM audit_event a JOIN user u ON u.id = a.actor_id WHERE u.email = ? AND a.action = ?',
		email,
		action
	)[0]!.n;
}

test('a supervisor adds a passkey and an app, and signs in with each and with a recovery code', async ({
	page
}, info) => {
	test.skip(info.project.use.javaScriptEnabled === false, 'passkeys need JavaScript');
	test.setTimeout(90_000);
	const email = e2eAccount('mfa-passkey', info.project.name);
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('WebAuthn.enable');
	await cdp.send('WebAuthn.addVirtualAuthenticator', {
		options: {
			protocol: 'ctap2',
			transport: 'internal',
			hasResidentKey: true,
			hasUserVerification: true,
			isUserVerified: true
		}
	});

	await passwordStep(page, email);
	await page.waitForURL((u) => u.pathname === '/');
	await page.goto('/me/account');
	await page.getByRole('link', { name: 'Manage two-step sign-in' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Two-step sign-in');
	await expectAccessible(page);

	await page.getByLabel('Name for this passkey (optional)').fill('Test laptop');
	await page.getByRole('button', { name: 'Add a passkey' }).click();
	const codesBox = page.getByRole('region', { name: 'Save your recovery codes' });
	await expect(codesBox).toBeVisible();
	const codes = await codesBox.locator('li code').allTextContents();
	expect(codes).toHaveLength(10);
	await expect(page.getByText('Passkey “Test laptop”')).toBeVisible();
	await expectAccessible(page);

	const { secret } = await addApp(page, email);
	expect(mailsTo(email, 'A passkey was added')).toBe(1);
	expect(mailsTo(email, 'An authenticator app was added')).toBe(1);
	expect(audits(email, 'mfa.enrol')).toBe(2);

	// With the passkey; the place asked for before signing in is kept.
	await signOut(page);
	await passwordStep(page, email, '/login?next=%2Fme%2Fcertificates');
	await page.waitForURL((u) => u.pathname === '/login/mfa');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Confirm it is you');
	await expectAccessible(page);
	// The half-session opens nothing else.
	await page.goto('/courses');
	await expect(page).toHaveURL(/\/login\?next=%2Fcourses$/);
	await page.goto('/login/mfa', { waitUntil: 'networkidle' });
	await page.getByRole('button', { name: 'Use a passkey' }).click();
	await page.waitForURL((u) => u.pathname === '/me/certificates');

	// With the app.
	await signOut(page);
	await passwordStep(page, email);
	await page.waitForURL((u) => u.pathname === '/login/mfa');
	await page.getByLabel('Code from your app').fill(appCode(email, secret));
	await page.getByRole('button', { name: 'Confirm' }).click();
	await page.waitForURL((u) => u.pathname === '/');
	await expect(page.getByRole('heading', { level: 1 })).toContainText('Welcome');

	// With a recovery code, once.
	await signOut(page);
	await passwordStep(page, email);
	await page.waitForURL((u) => u.pathname === '/login/mfa');
	await page.getByLabel('Recovery code').fill(codes[0]!);
	await page.getByRole('button', { name: 'Use recovery code' }).click();
	await page.waitForURL((u) => u.pathname === '/');
	expect(mailsTo(email, 'recovery code was used')).toBe(1);
	expect(audits(email, 'auth.recovery_code_used')).toBe(1);
});

test('without JavaScript: add an app, sign in with its code, then with a recovery code', async ({
	page
}, info) => {
	test.setTimeout(60_000);
	const email = e2eAccount('mfa-totp', info.project.name);
	await passwordStep(page, email);
	await page.waitForURL((u) => u.pathname === '/');
	await page.goto('/me/account/mfa');
	const { secret, codes } = await addApp(page, email);
	expect(codes).toHaveLength(10);

	await signOut(page);
	await passwordStep(page, email);
	await page.waitForURL((u) => u.pathname === '/login/mfa');
	// A wrong code is refused next to the field.
	await page.getByLabel('Code from your app').fill('12345x');
	await page.getByRole('button', { name: 'Confirm' }).click();
	await expect(page.getByText('That code is not right')).toBeVisible();
	await page.getByLabel('Code from your app').fill(appCode(email, secret));
	await page.getByRole('button', { name: 'Confirm' }).click();
	await page.waitForURL((u) => u.pathname === '/');

	await signOut(page);
	await passwordStep(page, email);
	await page.waitForURL((u) => u.pathname === '/login/mfa');
	await page.getByLabel('Recovery code').fill(codes[4]!.toUpperCase());
	await page.getByRole('button', { name: 'Use recovery code' }).click();
	await page.waitForURL((u) => u.pathname === '/');

	// The same code does not work twice.
	await signOut(page);
	await passwordStep(page, email);
	await page.waitForURL((u) => u.pathname === '/login/mfa');
	await page.getByLabel('Recovery code').fill(codes[4]!);
	await page.getByRole('button', { name: 'Use recovery code' }).click();
	await expect(
		page.getByText('That recovery code is not right or was already used.')
	).toBeVisible();
	await expect(page).toHaveURL(/\/login\/mfa/);
});

test('an org admin requires MFA; a supervisor without it is led to enrol at the next sign-in', async ({
	page,
	browser
}, info) => {
	test.setTimeout(60_000);
	const project = info.project.name;
	const admin = e2eAccount('mfa-orgadmin', project);
	const supervisor = e2eAccount('mfa-enrol', project);
	const org = mfaOrg(project);

	await passwordStep(page, admin);
	await page.waitForURL((u) => u.pathname === '/');
	await page.goto(`/orgs/${org}`);
	await page.getByRole('link', { name: 'Settings' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Settings');
	await expectAccessible(page);
	await page.getByLabel('Require two-step sign-in for supervisors and administrators').check();
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByRole('status')).toContainText('Two-step sign-in is required');
	expect(
		queryDb<{ n: number }>(
			"SELECT count(*) AS n FROM audit_event a JOIN organization o ON o.id = a.org_id WHERE o.slug = ? AND a.action = 'org.require_mfa'",
			org
		)[0]!.n
	).toBe(1);

	const sup = await (await browser.newContext()).newPage();
	await passwordStep(sup, supervisor, '/login?next=%2Fcourses');
	await sup.waitForURL((u) => u.pathname === '/me/account/mfa');
	await expect(sup.getByRole('alert')).toContainText('must use two-step sign-in');
	// Nothing else opens until a factor is added.
	await sup.goto(`/orgs/${org}`);
	await expect(sup).toHaveURL(/\/me\/account\/mfa\?next=/);
	const { codes } = await addApp(sup, supervisor);
	expect(codes).toHaveLength(10);
	await sup.getByRole('link', { name: 'I saved them: continue' }).click();
	await sup.waitForURL((u) => u.pathname === `/orgs/${org}`);
	await expect(sup.getByRole('heading', { level: 1 })).not.toHaveText('Two-step sign-in');
	await sup.context().close();
});
