import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { DEMO_PASSWORD, E2E_PASSWORD, E2E_PORT, e2eAccount } from './accounts';
import { expect, test } from './fixtures';

// The production server (scripts/server.js) compresses pages, JSON and CSV for clients that
// ask for it, above 1 KB, and leaves the precompressed build assets alone. Raw HTTP here, so
// that we see the bytes on the wire (fetch and browsers decompress before we could look).

const MODULE = '/courses/roll-call/first-contact';

interface Raw {
	status: number;
	headers: IncomingHttpHeaders;
	body: Buffer;
}

function get(url: string, headers: Record<string, string>): Promise<Raw> {
	return new Promise((resolve, reject) => {
		const req = httpRequest(url, { headers }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () =>
				resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) })
			);
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end();
	});
}

/** Signs in through the form (as a browser without JavaScript would) and returns the cookie. */
async function signIn(baseURL: string, email: string, password = DEMO_PASSWORD): Promise<string> {
	const res = await fetch(`${baseURL}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			'Content-Type': 'application/x-www-form-urlencoded',
			Accept: 'text/html',
			Origin: baseURL
		},
		body: new URLSearchParams({ email, password })
	});
	expect(res.status).toBe(303);
	const cookie = res.headers.getSetCookie().find((c) => c.startsWith('muster_session='));
	expect(cookie).toBeTruthy();
	return cookie!.split(';')[0]!;
}

/** The CSP nonce changes with every response; everything else of a page is the same. */
const withoutNonce = (html: string) => html.replace(/nonce(-|=")[A-Za-z0-9+/=]+/g, 'nonce$1');

// An account of its own: no other test changes what its module page shows during the run.
const LEARNER = e2eAccount('compression', 'chromium');

test.describe('compressed responses', () => {
	test.beforeEach(({ baseURL: _ }, info) => {
		test.skip(info.project.name !== 'chromium', 'HTTP only: one project is enough');
	});

	test('a module page is gzip or brotli when asked for, and the same HTML; plain when not', async ({
		baseURL
	}) => {
		const cookie = await signIn(baseURL!, LEARNER, E2E_PASSWORD);
		const page = `${baseURL}${MODULE}`;
		const plain = await get(page, { Cookie: cookie });
		expect(plain.status).toBe(200);
		expect(plain.headers['content-encoding']).toBeUndefined();
		const html = plain.body.toString('utf8');
		expect(html).toMatch(/^<!doctype html>/i);
		expect(html).toContain('First contact');

		const gz = await get(page, { Cookie: cookie, 'Accept-Encoding': 'gzip' });
		expect(gz.status).toBe(200);
		expect(gz.headers['content-encoding']).toBe('gzip');
		expect(gz.headers.vary).toMatch(/accept-encoding/i);
		expect(gz.headers['content-length']).toBeUndefined();
		expect(withoutNonce(gunzipSync(gz.body).toString('utf8'))).toBe(withoutNonce(html));
		// 18 KB of HTML travels as about 5 KB.
		expect(gz.body.length).toBeLessThan(plain.body.length * 0.4);

		// A browser's list: brotli wins; gzip when it is preferred.
		const br = await get(page, { Cookie: cookie, 'Accept-Encoding': 'gzip, deflate, br, zstd' });
		expect(br.headers['content-encoding']).toBe('br');
		expect(withoutNonce(brotliDecompressSync(br.body).toString('utf8'))).toBe(withoutNonce(html));
		const q = await get(page, { Cookie: cookie, 'Accept-Encoding': 'br;q=0.5, gzip' });
		expect(q.headers['content-encoding']).toBe('gzip');
	});

	test('a response under 1 KB is sent as it is', async ({ baseURL }) => {
		// The instance's DID document: a few hundred bytes of JSON.
		const did = await get(`${baseURL}/.well-known/did.json`, { 'Accept-Encoding': 'gzip, br' });
		expect(did.status).toBe(200);
		expect(did.body.length).toBeLessThan(1024);
		expect(did.headers['content-encoding']).toBeUndefined();
		expect(JSON.parse(did.body.toString('utf8'))).toHaveProperty('id');
	});

	test('a CSV export streams compressed and decompresses to the same file', async ({ baseURL }) => {
		const cookie = await signIn(baseURL!, 'sergeant@riverside.muster.test');
		// Completions up to two days ago: the demo's, which no test run adds to.
		const to = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
		const url = `${baseURL}/orgs/riverside-pd/reports/completions.csv?to=${to}`;
		const plain = await get(url, { Cookie: cookie });
		expect(plain.status).toBe(200);
		expect(plain.headers['content-type']).toMatch(/^text\/csv/);
		expect(plain.headers['content-encoding']).toBeUndefined();
		const csv = plain.body.toString('utf8');
		expect(csv.split('\n').length).toBeGreaterThan(10);

		const gz = await get(url, { Cookie: cookie, 'Accept-Encoding': 'gzip' });
		expect(gz.headers['content-encoding']).toBe('gzip');
		// Streamed: no length is known in advance.
		expect(gz.headers['transfer-encoding']).toBe('chunked');
		expect(gunzipSync(gz.body).toString('utf8')).toBe(csv);
		expect(gz.body.length).toBeLessThan(plain.body.length / 2);
	});

	test('built assets keep their precompressed files, never compressed twice', async ({
		baseURL
	}) => {
		const login = await get(`${baseURL}/login`, {});
		const script = /\/_app\/immutable\/entry\/start\.[\w-]+\.js/.exec(login.body.toString())?.[0];
		expect(script).toBeTruthy();
		const plain = await get(`${baseURL}${script}`, {});
		expect(plain.headers['content-encoding']).toBeUndefined();
		for (const [encoding, decode] of [
			['gzip', gunzipSync],
			['br', brotliDecompressSync]
		] as const) {
			const res = await get(`${baseURL}${script}`, { 'Accept-Encoding': encoding });
			expect(res.headers['content-encoding']).toBe(encoding);
			// The .gz/.br file from the build, sent with its own length, decoding in one step.
			expect(Number(res.headers['content-length'])).toBe(res.body.length);
			expect(decode(res.body).equals(plain.body)).toBe(true);
		}
	});
});

test("Lighthouse's text-compression audit passes on a module page", async ({ baseURL }, info) => {
	test.skip(info.project.name !== 'chromium', 'Lighthouse drives its own Chromium: once');
	test.setTimeout(120_000);
	const cookie = await signIn(baseURL!, LEARNER, E2E_PASSWORD);
	// Debian's Chromium with the flags of playwright.config.ts: no network beyond loopback.
	const chrome = await chromeLauncher.launch({
		chromePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		port: E2E_PORT + 510,
		chromeFlags: [
			'--headless=new',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--no-first-run',
			'--disable-quic',
			'--disable-dev-shm-usage'
		]
	});
	try {
		const result = await lighthouse(`${baseURL}${MODULE}`, {
			port: chrome.port,
			onlyAudits: ['uses-text-compression'],
			extraHeaders: { Cookie: cookie },
			throttlingMethod: 'provided',
			output: 'json',
			logLevel: 'error'
		});
		const lhr = result!.lhr;
		expect(lhr.runtimeError).toBeUndefined();
		// The page itself was loaded, signed in (not the sign-in page it redirects to).
		expect(new URL(lhr.finalDisplayedUrl).pathname).toBe(MODULE);
		const audit = lhr.audits['uses-text-compression']!;
		const items = (audit.details as { items?: { url: string; wastedBytes: number }[] }).items;
		expect(items ?? []).toEqual([]);
		expect(audit.score).toBe(1);
	} finally {
		await chrome.kill();
	}
});
