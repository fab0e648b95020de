import { request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import fc from 'fast-check';
import { E2E_PASSWORD, FUZZ_ORG, FUZZ_STAFF } from './accounts';
import { expect, test } from './fixtures';
import { pageRoutes, type PageRoute } from './routes';

// Every form action found by walking src/routes gets malformed bodies, oversized fields, odd
// content types, `?/default` and unknown action names, anonymously and as a staff member (the
// admin of an organization no other test uses). No answer may be a 500. Bounded: a fixed seed
// and a fixed number of cases per action.

const FIELDS = [
	'email',
	'password',
	'confirm',
	'current',
	'next',
	'name',
	'role',
	'groups',
	'group',
	'invite',
	'maxUses',
	'days',
	'emails',
	'code',
	'reason',
	'note',
	'slug',
	'timeZone',
	'kind',
	'contactName',
	'contactEmail',
	'adminEmail',
	'adminName',
	'employeeId',
	'active',
	'answer',
	'answers',
	'question',
	'option',
	'step',
	'index',
	'roster',
	'member',
	'org'
];

const nasty = fc.oneof(
	fc.string({ maxLength: 40 }),
	fc.string({ unit: 'grapheme', maxLength: 40 }),
	fc.constantFrom(
		'',
		'\u0000',
		'a\u0000b',
		'\r\n\t',
		'-1',
		'0',
		'1e309',
		'NaN',
		'9007199254740993',
		'[]',
		'{}',
		'__proto__',
		'constructor',
		'%00',
		'../../etc/passwd',
		'<script>alert(1)</script>',
		"' OR 1=1 --",
		'x'.repeat(100_000),
		'é'.repeat(5_000)
	)
);
const bodies = fc.array(fc.tuple(fc.constantFrom(...FIELDS), nasty), { maxLength: 8 });

type Case = {
	name: string;
	query?: string;
	headers?: Record<string, string>;
	data?: string | Buffer;
	form?: Record<string, string>;
	multipart?: Record<string, string | { name: string; mimeType: string; buffer: Buffer }>;
};

function encode(pairs: [string, string][]): string {
	return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

function cases(seed: number): Case[] {
	const form = 'application/x-www-form-urlencoded';
	const random = fc.sample(bodies, { seed, numRuns: 3 });
	const boundary = '----fuzzboundary';
	return [
		{ name: 'empty body', headers: { 'Content-Type': form }, data: '' },
		...random.map((pairs, i) => ({
			name: `random fields #${i}`,
			headers: { 'Content-Type': form },
			data: encode(pairs)
		})),
		{
			name: 'every field 100 KB',
			headers: { 'Content-Type': form },
			data: encode(FIELDS.map((f) => [f, 'x'.repeat(100_000)]))
		},
		{
			name: 'a file where text belongs',
			multipart: Object.fromEntries(
				FIELDS.slice(0, 10).map((f) => [
					f,
					{
						name: 'x.bin',
						mimeType: 'application/octet-stream',
						buffer: Buffer.from([0, 1, 2, 255])
					}
				])
			)
		},
		{
			name: 'broken multipart',
			headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
			data: `--${boundary}\r\nContent-Disposition: form-data; name="email"\r\n\r\nunterminated`
		},
		{
			name: 'multipart without a boundary',
			headers: { 'Content-Type': 'multipart/form-data' },
			data: 'a=b'
		},
		{ name: 'JSON', headers: { 'Content-Type': 'application/json' }, data: '{"email":"a@b.c"}' },
		{ name: 'text/plain', headers: { 'Content-Type': 'text/plain' }, data: 'email=a@b.c' },
		{ name: 'no content type', data: Buffer.from('email=a%40b.c') },
		{
			name: 'urlencoded, malformed escapes',
			headers: { 'Content-Type': form },
			data: 'email=%E0%A4%A&password=%&name=%FF%FE'
		},
		{ name: '?/default', query: '/default', form: { email: 'a@b.c' } },
		{ name: 'unknown action', query: '/nosuchaction', form: {} },
		{
			name: 'a name of Object.prototype as action',
			query: `/${['constructor', '__proto__', 'toString', 'hasOwnProperty'][seed % 4]}`,
			form: {}
		},
		{ name: 'very long action name', query: '/' + 'a'.repeat(3000), form: {} },
		{
			name: 'odd next',
			query: 'next=%0d%0a%00/%E3%80%82/',
			form: { email: 'a@b.c', password: 'x' }
		}
	];
}

interface Target {
	route: PageRoute;
	path: string;
	action: string;
}

function targets(): Target[] {
	return pageRoutes().flatMap((route) =>
		route.actions.map((action) => ({
			route,
			path: route.path.replace('/orgs/riverside-pd', `/orgs/${FUZZ_ORG}`),
			action
		}))
	);
}

async function context(baseURL: string, staff: boolean): Promise<APIRequestContext> {
	const ctx = await playwrightRequest.newContext({
		baseURL,
		extraHTTPHeaders: { Origin: baseURL }
	});
	if (staff) {
		const r = await ctx.post('/login', {
			form: { email: FUZZ_STAFF, password: E2E_PASSWORD },
			headers: { Accept: 'text/html' },
			maxRedirects: 0
		});
		expect(r.status(), 'the fuzz admin signs in').toBe(303);
	}
	return ctx;
}

test('no request shape makes any form action answer 500', async ({ baseURL }, info) => {
	test.skip(info.project.name !== 'chromium', 'an HTTP matrix: one browser project is enough');
	test.setTimeout(120_000);
	const all = targets();
	// The walk must find the actions that exist today.
	expect(all.length).toBeGreaterThanOrEqual(25);
	expect(all.map((t) => `${t.route.id}?/${t.action}`)).toContain('/(public)/login?/default');
	// Sign-out comes last: it ends the staff session the other posts use.
	all.sort(
		(a, b) => Number(a.route.id.endsWith('/logout')) - Number(b.route.id.endsWith('/logout'))
	);

	const failures: string[] = [];
	const started = Date.now();
	let sent = 0;
	for (const staff of [false, true]) {
		const ctx = await context(baseURL!, staff);
		for (const [i, t] of all.entries()) {
			for (const [ci, c] of cases(1000 + i).entries()) {
				const query = c.query ?? (t.action === 'default' ? '' : `/${t.action}`);
				const url = `${t.path}${query ? `?${query}` : ''}`;
				// Half the posts as use:enhance sends them, half as a plain form post.
				{
					const enhanced = (ci + i + Number(staff)) % 2 === 1;
					const accept: Record<string, string> = enhanced
						? { Accept: 'application/json', 'x-sveltekit-action': 'true' }
						: { Accept: 'text/html' };
					const r = await ctx.post(url, {
						headers: { ...accept, ...c.headers },
						data: c.data,
						form: c.form,
						multipart: c.multipart,
						maxRedirects: 0,
						failOnStatusCode: false
					});
					sent += 1;
					let status = r.status();
					// use:enhance answers 200 with {type:'error', status} inside.
					if (enhanced && status === 200) {
						const body = (await r.json().catch(() => null)) as { status?: number } | null;
						status = body?.status ?? status;
					}
					if (status >= 500) {
						failures.push(
							`${staff ? 'staff' : 'anonymous'} ${enhanced ? 'enhanced' : 'plain'} POST ${url.slice(0, 120)} (${c.name}): ${status}`
						);
					}
				}
			}
		}
		await ctx.dispose();
	}
	console.info(`fuzz: ${sent} posts in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	expect(failures).toEqual([]);
	expect(Date.now() - started).toBeLessThan(90_000);
});
