import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Page } from '@playwright/test';
import { buildCatalog } from '../../src/lib/server/courses/catalog';
import { readCourseFiles } from '../../src/lib/server/courses/read-files';
import { DEMO_PASSWORD, E2E_PASSWORD, e2eAccount } from './accounts';
import { openAttempt, playAttempt } from './attempts';
import { expect, expectAccessible, queryDb, signInAs, signOut, test } from './fixtures';

// Every page of every role, at a phone's and a desk's size: no page may scroll sideways, the
// header may take at most 80 px of a phone's height, no visible text field may be under 40 px
// tall, and axe must find nothing. The route folder is walked, so a page added later without
// being visited here fails the coverage check at the end.

const catalog = buildCatalog(readCourseFiles(process.cwd()));

const SIZES = [
	{ width: 390, height: 844 },
	{ width: 1280, height: 800 }
];

/** Route ids of every +page.svelte, e.g. "/orgs/[org]/members/[id=id]". */
function pageRoutes(): string[] {
	const ids: string[] = [];
	const walk = (dir: string) => {
		for (const name of readdirSync(dir)) {
			const full = join(dir, name);
			if (statSync(full).isDirectory()) walk(full);
			else if (name === '+page.svelte') {
				const segments = relative('src/routes', dir)
					.split('/')
					.filter((s) => s && !/^\(.*\)$/.test(s));
				ids.push('/' + segments.join('/'));
			}
		}
	};
	walk('src/routes');
	return ids;
}

const routePattern = (id: string) =>
	new RegExp(
		'^' +
			id
				.replace(/[.+?^${}()|\\]/g, '\\$&')
				.replace(/\[[^\]=]+=id\]/g, '\\d+')
				.replace(/\[[^\]]+\]/g, '[^/]+') +
			'$'
	);

const visited = new Set<string>();

async function checkPage(page: Page, url: string): Promise<void> {
	const size = page.viewportSize()!;
	const where = `${url} at ${size.width}px`;
	const m = await page.evaluate(() => {
		const textLike = [
			...document.querySelectorAll<HTMLElement>(
				'input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=submit]):not([type=button]), select, textarea'
			)
		];
		return {
			scrollWidth: document.documentElement.scrollWidth,
			clientWidth: document.documentElement.clientWidth,
			header: document.querySelector('header.site')?.getBoundingClientRect().height ?? 0,
			small: textLike
				.filter((e) => e.offsetParent !== null)
				.map((e) => ({ id: e.id || e.getAttribute('name'), h: e.getBoundingClientRect().height }))
				.filter((e) => e.h < 40)
		};
	});
	expect(m.scrollWidth, `${where} scrolls sideways`).toBeLessThanOrEqual(m.clientWidth);
	if (size.width < 500) expect(m.header, `${where}: header height`).toBeLessThanOrEqual(80);
	expect(m.small, `${where}: text fields under 40 px`).toEqual([]);
	await expectAccessible(page);
}

/**
 * Opens each address at both sizes and checks it, axe included: the markup is the same at both
 * sizes, but what is shown, hidden and how it is coloured is not (the menu, tabs, cards).
 */
async function visitAll(page: Page, urls: string[]): Promise<void> {
	for (const size of SIZES) {
		await page.setViewportSize(size);
		for (const url of urls) {
			const response = await page.goto(url);
			expect(response?.status(), url).toBeLessThan(url.includes('no-such-page') ? 500 : 400);
			await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
			await checkPage(page, url);
			visited.add(new URL(page.url()).pathname);
		}
	}
}

/** Checks the page as it is now (a state reached by a form, not by an address) at both sizes. */
async function checkHere(page: Page): Promise<void> {
	const url = new URL(page.url()).pathname;
	for (const size of SIZES) {
		await page.setViewportSize(size);
		await checkPage(page, url);
	}
	visited.add(url);
}

test.describe.configure({ mode: 'serial' });
test.skip(({ javaScriptEnabled }) => javaScriptEnabled === false, 'axe needs JavaScript; one run');

let joinLink = '';
let certificateCode = '';
let rollcallCode = '';

test('an instance administrator’s pages', async ({ page }) => {
	test.setTimeout(240_000);
	await signInAs(page, 'admin@muster.test');
	const [me] = queryDb<{ id: number }>("select id from user where email = 'admin@muster.test'");
	const [other] = queryDb<{ id: number }>(
		"select id from user where email = 'officer@riverside.muster.test'"
	);
	await visitAll(page, [
		'/',
		'/admin',
		'/admin/organizations',
		'/admin/accounts',
		`/admin/accounts/${other!.id}`,
		`/admin/accounts/${me!.id}`,
		'/admin/certificates',
		'/admin/outbox',
		'/admin/audit',
		'/orgs',
		'/me/account/mfa'
	]);
});

test('an organization administrator’s pages', async ({ page }) => {
	test.setTimeout(240_000);
	await signInAs(page, 'coordinator@harbor.muster.test');
	await page.goto('/orgs/harbor-light/invites');
	await page.getByLabel('How many people may use it').fill('2');
	await page.getByRole('button', { name: 'Create invite link' }).click();
	await expect(page.getByRole('textbox', { name: 'Invite link' })).toBeVisible();
	joinLink = new URL(await page.getByRole('textbox', { name: 'Invite link' }).inputValue())
		.pathname;
	await checkHere(page); // the invites page with a new link and a table row

	const csv =
		'Name,Email,Groups\nPat Quinn,pat.quinn@harbor.example,Nowhere\nSam Lee,not-an-email,';
	await page.goto('/orgs/harbor-light/import');
	await page
		.getByLabel(/Roster file/)
		.setInputFiles({ name: 'pages.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
	await page.getByRole('button', { name: 'Check the file' }).click();
	await page.waitForURL(/\/import\/\d+$/);
	const preview = new URL(page.url()).pathname;
	const [member] = queryDb<{ id: number }>(
		"select m.id from membership m join organization o on o.id = m.org_id where o.slug = 'harbor-light' order by m.id desc limit 1"
	);
	await visitAll(page, [
		'/orgs/harbor-light',
		'/orgs/harbor-light/members',
		'/orgs/harbor-light/members?course=volunteer-onboarding&training=not-completed',
		`/orgs/harbor-light/members/${member!.id}`,
		'/orgs/harbor-light/invites',
		'/orgs/harbor-light/import',
		preview,
		'/orgs/harbor-light/groups',
		'/orgs/harbor-light/audit',
		'/orgs/harbor-light/assignments',
		'/orgs/harbor-light/matrix',
		'/orgs/harbor-light/insights',
		'/orgs/harbor-light/policy',
		'/orgs/harbor-light/settings'
	]);
});

test('a supervisor’s pages', async ({ page }) => {
	test.setTimeout(180_000);
	await signInAs(page, 'sergeant@riverside.muster.test');
	const [member] = queryDb<{ id: number }>(
		"select m.id from membership m join organization o on o.id = m.org_id join user u on u.id = m.user_id where o.slug = 'riverside-pd' and u.email = 'officer@riverside.muster.test'"
	);
	await visitAll(page, [
		'/orgs',
		'/orgs/riverside-pd',
		'/orgs/riverside-pd/members',
		`/orgs/riverside-pd/members/${member!.id}`,
		'/orgs/riverside-pd/matrix?status=overdue',
		'/orgs/riverside-pd/rollcall'
	]);
	// A roll-call session: its presenter view (for the room's screen), then its record page.
	await page.getByLabel('Module').selectOption('roll-call/who-to-call');
	await page.getByRole('button', { name: 'Start the session' }).click();
	await page.waitForURL(/\/present$/);
	rollcallCode = ((await page.locator('.code').textContent()) ?? '').replace(/\s/g, '');
	await checkHere(page);
	await visitAll(page, [new URL(page.url()).pathname.replace(/\/present$/, '')]);
});

test('a learner’s pages, through an assessment and its result', async ({ page }, info) => {
	test.setTimeout(300_000);
	const email = e2eAccount('pages', info.project.name);
	await signInAs(page, email, E2E_PASSWORD);
	const course = catalog.bySlug.get('roll-call')!;
	await visitAll(page, [
		'/',
		'/courses',
		`/courses/${course.slug}`,
		`/courses/${course.slug}/${course.modules[0]!.slug}`,
		`/courses/${course.slug}/${course.modules[0]!.slug}/briefing`,
		`/courses/${course.slug}/assessment`,
		'/me/certificates',
		'/me/transcript',
		'/me/account',
		'/rollcall',
		`/rollcall/${rollcallCode}`,
		'/logout'
	]);
	// Every module, then an attempt: its scenario page, its question page and its result.
	for (const m of course.modules) {
		await page.goto(`/courses/${course.slug}/${m.slug}`);
		await page.getByRole('button', { name: 'Save and continue' }).click();
		await page.waitForURL((u) => !u.pathname.endsWith(`/${m.slug}`));
	}
	await page.goto('/');
	await checkHere(page); // home with "Take the assessment"
	await page.goto(`/courses/${course.slug}/assessment`);
	await page.getByRole('button', { name: 'Start the assessment' }).click();
	await openAttempt(page);
	await checkHere(page);
	await playAttempt(page, course, true, () => checkHere(page));
	await expect(page.getByRole('status')).toContainText('Passed');
	await checkHere(page);
	await visitAll(page, ['/', '/me/certificates', `/courses/${course.slug}`]);
	const [cert] = queryDb<{ code: string }>(
		'select c.code from certificate c join user u on u.id = c.user_id where u.email = ?',
		email
	);
	certificateCode = cert!.code;
	await signOut(page);
});

test('public pages', async ({ page }) => {
	test.setTimeout(240_000);
	expect(joinLink, 'the administrator test made an invite link').not.toBe('');
	await visitAll(page, [
		'/login',
		'/reset',
		'/reset/not-a-real-token',
		'/verify',
		'/verify?code=nonsense',
		`/verify/${certificateCode}`,
		'/reference',
		joinLink,
		'/join/not-a-real-token',
		'/verify-email/not-a-real-token',
		'/no-such-page'
	]);
	// The second sign-in step, as an instance administrator (who must use one) meets it.
	await page.goto('/login', { waitUntil: 'networkidle' });
	await page.getByLabel('Email').fill('admin@muster.test');
	await page.getByLabel('Password').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL(/\/login\/mfa/);
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	await checkHere(page);
});

test('every page was visited', () => {
	const missing = pageRoutes().filter(
		(id) => ![...visited].some((path) => routePattern(id).test(path))
	);
	expect(missing, 'pages no test above visits').toEqual([]);
});
