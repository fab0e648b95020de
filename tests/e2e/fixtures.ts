import AxeBuilder from '@axe-core/playwright';
import { expect, test as base, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { hashRecoveryCode } from '../../src/lib/server/mfa/recovery';
import { ADMIN_RECOVERY_CODES, adminRecoveryCode, DEMO_PASSWORD, E2E_DB } from './accounts';

/** Scans the page as it is now with axe (WCAG 2.2 A and AA); any violation fails the test. */
export async function expectAccessible(page: Page): Promise<void> {
	// axe runs inside the page, so it needs JavaScript; the server renders the same HTML for the
	// no-JavaScript project, which the JavaScript project scans.
	if (test.info().project.use.javaScriptEnabled === false) return;
	const results = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
		.analyze();
	const summary = results.violations.map(
		(v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`
	);
	expect(summary, `accessibility violations on ${page.url()}`).toEqual([]);
}

export async function signInAs(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
	// Let the page finish loading (scripts, the service worker's first install) so the click
	// lands on a settled form rather than racing hydration on a busy two-core machine.
	await page.goto('/login', { waitUntil: 'networkidle' });
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL((url) => url.pathname !== '/login', { timeout: 15_000 });
	if (new URL(page.url()).pathname === '/login/mfa') await passAdminSecondStep(page, email);
	await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('Sign in');
}

/**
 * The demo instance administrator must use a second factor (tests/e2e/serve.ts seeds it with
 * recovery codes): spend one not used yet. Tests of MFA itself drive the second step by hand.
 */
async function passAdminSecondStep(page: Page, email: string): Promise<void> {
	if (email !== 'admin@muster.test') throw new Error(`${email} was asked for a second factor`);
	const used = new Set(
		queryDb<{ code_hash: string }>(
			'SELECT code_hash FROM recovery_code r JOIN user u ON u.id = r.user_id WHERE u.email = ? AND r.used_at IS NOT NULL',
			email
		).map((r) => r.code_hash)
	);
	const free = Array.from({ length: ADMIN_RECOVERY_CODES }, (_, i) => adminRecoveryCode(i)).filter(
		(c) => !used.has(hashRecoveryCode(c))
	);
	// A random free code: two tests signing in at the same moment will not pick the same one.
	const code = free[Math.floor(Math.random() * free.length)]!;
	await page.getByLabel('Recovery code').fill(code);
	await page.getByRole('button', { name: 'Use recovery code' }).click();
	await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 15_000 });
}

export async function signOut(page: Page): Promise<void> {
	await page.goto('/logout');
	await page.getByRole('button', { name: 'Sign out', exact: true }).click();
	await expect(page).toHaveURL(/\/login$/);
}

export const test = base;
export { expect };

/** Reads the end-to-end database (read-only) to check what the server recorded. */
export function queryDb<T>(sql: string, ...params: unknown[]): T[] {
	const db = new Database(E2E_DB, { readonly: true, fileMustExist: true });
	try {
		return db.prepare(sql).all(...params) as T[];
	} finally {
		db.close();
	}
}
