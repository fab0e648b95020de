import { existsSync, renameSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import { DEMO_PASSWORD, E2E_PASSWORD, e2eAccount } from './accounts';
import { expect, expectAccessible, signInAs, test } from './fixtures';
import { pageRoutes } from './routes';

// The security review's findings (M1, L1, L2, L7, L8, inputs, static files), each shown the way
// the review showed it.

async function api(baseURL: string, email?: string, password = DEMO_PASSWORD) {
	const ctx = await playwrightRequest.newContext({
		baseURL,
		extraHTTPHeaders: { Origin: baseURL, Accept: 'text/html' }
	});
	if (email) {
		const r = await ctx.post('/login', { form: { email, password }, maxRedirects: 0 });
		expect(r.status(), `sign in ${email}`).toBe(303);
	}
	return ctx;
}

const location = async (ctx: APIRequestContext, url: string, form?: Record<string, string>) => {
	const r = form
		? await ctx.post(url, { form, maxRedirects: 0 })
		: await ctx.get(url, { maxRedirects: 0 });
	return { status: r.status(), location: r.headers()['location'] };
};

const EVIL_NEXT = [
	'/%09/evil.example',
	'/%0d%0a/evil.example',
	'/%00/evil.example',
	'/%0b/evil.example',
	'/%7f/evil.example',
	'//evil.example',
	'/%5Cevil.example',
	'/\\evil.example',
	'https://evil.example/',
	'/%2509/evil.example'
];

test('M1, L2: after sign-in, `next` leads only to a path on this site, and never to a 500', async ({
	baseURL
}, info) => {
	test.skip(info.project.name !== 'chromium', 'HTTP only');
	const email = e2eAccount('courses', info.project.name);
	const anonymous = await api(baseURL!);
	for (const next of EVIL_NEXT) {
		const signIn = await location(anonymous, `/login?next=${next}`, {
			email,
			password: E2E_PASSWORD
		});
		expect(signIn, `POST /login?next=${next}`).toEqual({ status: 303, location: '/' });
	}
	// A person already signed in who opens the link is sent home at once (GET).
	const signedIn = await api(baseURL!, email, E2E_PASSWORD);
	for (const next of [...EVIL_NEXT, '/%E3%80%82/', '/caf%C3%A9']) {
		const r = await location(signedIn, `/login?next=${next}`);
		expect(r.status, `GET /login?next=${next}`).toBe(303);
		expect(r.location, next).toMatch(/^\/(?![/\\])[\x21-\x7e]*$|^\/$/);
	}
	expect(await location(signedIn, '/login?next=/%E3%80%82/')).toEqual({
		status: 303,
		location: '/%E3%80%82/'
	});
	expect(await location(signedIn, '/login?next=%2Fcourses%3Fx%3D1')).toEqual({
		status: 303,
		location: '/courses?x=1'
	});
});

test('L1: every signed-in page and its data answer an anonymous visitor with sign-in, never a 500', async ({
	baseURL
}, info) => {
	test.skip(info.project.name !== 'chromium', 'HTTP only');
	const app = pageRoutes().filter((r) => r.id.startsWith('/(app)'));
	expect(app.length).toBeGreaterThanOrEqual(15);
	const anonymous = await api(baseURL!);
	for (const route of app) {
		const page = await anonymous.get(route.path, { maxRedirects: 0 });
		expect(page.status(), route.path).toBe(303);
		expect(page.headers()['location'], route.path).toMatch(/^\/login(\?next=|$)/);
		const dataPath = `${route.path === '/' ? '' : route.path}/__data.json?x-sveltekit-invalidated=001`;
		const data = await anonymous.get(dataPath, { maxRedirects: 0 });
		expect(data.status(), dataPath).toBe(401);
		expect(await data.text(), dataPath).not.toContain('"type":"data"');
	}
});

test('L2: `?/default`, a wrong content type and unknown actions answer 4xx with a true message', async ({
	baseURL
}, info) => {
	test.skip(info.project.name !== 'chromium', 'HTTP only');
	const anonymous = await api(baseURL!);
	for (const path of ['/login', '/logout', '/reset', '/reset/notarealtoken']) {
		const r = await anonymous.post(`${path}?/default`, { form: { email: 'a@b.c' } });
		expect(r.status(), `${path}?/default`).toBe(404);
	}
	const json = await anonymous.post('/login', {
		headers: { 'Content-Type': 'application/json' },
		data: '{"email":"a@b.c"}'
	});
	expect(json.status()).toBe(415);
	const text = await json.text();
	expect(text).toContain('Forms must be sent as form data');
	expect(text).not.toContain('Something went wrong on our side');
	const unknown = await anonymous.post('/logout?/nosuchaction', { form: {} });
	expect(unknown.status()).toBe(404);
});

test('L8: /verify and /join keep the referrer policy they set', async ({ request }) => {
	const verify = await request.get('/verify/NOTAREALCODE');
	expect(verify.headers()['referrer-policy']).toBe('no-referrer');
	expect(verify.headers()['x-frame-options']).toBe('DENY');
	// /join posts its own forms: `same-origin` keeps the token from other sites yet lets the
	// browser send the Origin header that the cross-site check needs (no-referrer sends null).
	const join = await request.get('/join/notarealtoken');
	expect(join.headers()['referrer-policy']).toBe('same-origin');
	expect((await request.get('/login')).headers()['referrer-policy']).toBe(
		'strict-origin-when-cross-origin'
	);
});

test('L7: sign-out clears the cache, and the offline reference card holds nobody’s details', async ({
	page,
	baseURL
}, info) => {
	test.skip(info.project.use.javaScriptEnabled === false, 'the service worker needs JavaScript');
	const email = e2eAccount('courses', info.project.name);
	await signInAs(page, email, E2E_PASSWORD);
	await page.goto('/reference', { waitUntil: 'networkidle' });
	await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
	// Visit again under the service worker's control, so its fetch handler sees the page.
	await page.reload({ waitUntil: 'networkidle' });
	await expect
		.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller)))
		.toBe(true);
	await page.reload({ waitUntil: 'networkidle' });
	const cached = await page.evaluate(async () => {
		const bodies: string[] = [];
		for (const key of await caches.keys()) {
			const hit = await (await caches.open(key)).match('/reference');
			if (hit) bodies.push(await hit.text());
		}
		return bodies;
	});
	expect(cached.length).toBeGreaterThan(0);
	for (const body of cached) {
		expect(body).not.toContain(email);
		expect(body).not.toContain('href="/logout"');
		expect(body).toContain('Sign in');
	}
	const ctx = await api(baseURL!, email, E2E_PASSWORD);
	const out = await ctx.post('/logout?/signout', { form: {}, maxRedirects: 0 });
	expect(out.status()).toBe(303);
	expect(out.headers()['clear-site-data']).toBe('"cache"');
});

test('a static file removed under the running server is a 404, and the server keeps serving', async ({
	request
}, info) => {
	test.skip(info.project.name !== 'chromium', 'renames a build file: one project only');
	const dir = join('build', 'client', '_app', 'immutable', 'chunks');
	const file = readdirSync(dir).find((f) => f.endsWith('.js'))!;
	const path = join(dir, file);
	const aside = `${path}.aside`;
	const variants = ['', '.br', '.gz'].filter((s) => existsSync(path + s));
	for (const s of variants) renameSync(path + s, aside + s);
	try {
		for (const encoding of ['identity', 'gzip, br']) {
			const r = await request.get(`/_app/immutable/chunks/${file}`, {
				headers: { 'Accept-Encoding': encoding }
			});
			expect(r.status(), encoding).toBe(404);
			expect(r.headers()['cache-control'] ?? '').not.toContain('immutable');
		}
	} finally {
		for (const s of variants) renameSync(aside + s, path + s);
	}
	expect((await request.get('/login')).status()).toBe(200);
	expect((await request.get(`/_app/immutable/chunks/${file}`)).status()).toBe(200);
});

test.describe('roster files', () => {
	const upload = async (ctx: APIRequestContext, name: string, buffer: Buffer) =>
		ctx.post('/orgs/harbor-light/import?/upload', {
			multipart: { roster: { name, mimeType: 'text/csv', buffer } },
			maxRedirects: 0
		});

	test('a file over the limit says so next to the field', async ({ page }, info) => {
		test.skip(info.project.name !== 'chromium', 'one upload is enough');
		await signInAs(page, 'coordinator@harbor.muster.test');
		await page.goto('/orgs/harbor-light/import');
		const big = Buffer.alloc(6 * 1024 * 1024, 'a,b@example.org\n');
		await page
			.getByLabel(/Roster file/)
			.setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: big });
		await page.getByRole('button', { name: 'Check the file' }).click();
		await expect(page.locator('#roster-error')).toContainText('The file is larger than 4 MB');
		await expect(page.getByText('Choose a CSV file to upload')).toHaveCount(0);
	});

	test('a Windows-1252 file is read as such, and the preview says so', async ({ page }, info) => {
		test.skip(info.project.name !== 'chromium', 'one upload is enough');
		await signInAs(page, 'coordinator@harbor.muster.test');
		await page.goto('/orgs/harbor-light/import');
		const csv = Buffer.from('name,email\nJos\xe9 M\xfcller,jose.muller@example.org\n', 'latin1');
		await page
			.getByLabel(/Roster file/)
			.setInputFiles({ name: 'latin1.csv', mimeType: 'text/csv', buffer: csv });
		await page.getByRole('button', { name: 'Check the file' }).click();
		await expect(page).toHaveURL(/\/import\/\d+\?read=windows-1252$/);
		await expect(page.getByText('it was read as Windows-1252')).toBeVisible();
		await expect(page.getByRole('cell', { name: 'José Müller' })).toBeVisible();
		await expectAccessible(page);
	});

	test('thousands of bad rows are shown 100 a page', async ({ baseURL, page }, info) => {
		test.skip(info.project.name !== 'chromium', 'one upload is enough');
		const ctx = await api(baseURL!, 'coordinator@harbor.muster.test');
		const rows = Array.from({ length: 3000 }, (_, i) => `Person\u0000 ${i},not-an-email-${i}`);
		const r = await upload(ctx, 'bad.csv', Buffer.from(['name,email', ...rows].join('\n')));
		expect(r.status()).toBe(303);
		const preview = r.headers()['location']!;
		const first = await ctx.get(preview);
		const html = await first.text();
		expect(html.length).toBeLessThan(200_000);
		expect(html).toContain('3000 with problems');
		expect(html).toContain('Page 1 of 30');
		expect(html).not.toContain('\u0000');
		await signInAs(page, 'coordinator@harbor.muster.test');
		await page.goto(`${preview}?page=2`);
		await expect(page.getByText('Page 2 of 30').first()).toBeVisible();
		await expect(page.getByRole('cell', { name: '102', exact: true })).toBeVisible();
		await expectAccessible(page);
	});
});
