import { expect, test } from './fixtures';

const html = { Accept: 'text/html' };

test('a cross-site form post is refused', async ({ request, baseURL }) => {
	const response = await request.post('/login', {
		headers: { Origin: 'http://attacker.example', ...html },
		form: { email: 'officer@riverside.muster.test', password: 'muster-demo-2026' }
	});
	expect(response.status()).toBe(403);
	const same = await request.post('/login', {
		headers: { Origin: baseURL!, ...html },
		form: { email: 'nobody@example.org', password: 'x' },
		maxRedirects: 0
	});
	expect(same.status()).toBe(400);
});

test('every response carries the security headers and a CSP', async ({ request }) => {
	const response = await request.get('/login');
	const h = response.headers();
	expect(h['content-security-policy']).toContain("default-src 'self'");
	expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
	expect(h['x-content-type-options']).toBe('nosniff');
	expect(h['x-frame-options']).toBe('DENY');
	expect(h['referrer-policy']).toBe('strict-origin-when-cross-origin');
});

const long = 'x'.repeat(10 * 1024);
const forms: { path: string; cases: Record<string, Record<string, string>>; message: RegExp }[] = [
	{
		path: '/login',
		message:
			/Email is required|Enter an email address|Email must be at most|Password must be at most/,
		cases: {
			missing: {},
			huge: { email: `${long}@example.org`, password: long },
			'not an email': { email: 'not-an-email', password: 'x' }
		}
	},
	{
		path: '/reset',
		message: /Email is required|Enter an email address|Email must be at most/,
		cases: { missing: {}, huge: { email: long } }
	},
	{
		path: '/reset/notarealtoken',
		message: /New password is required|must be at most|do not match/,
		cases: { missing: {}, huge: { password: long, confirm: long } }
	}
];

for (const { path, cases, message } of forms) {
	for (const [name, form] of Object.entries(cases)) {
		test(`POST ${path} with ${name} input answers 400 with a message`, async ({
			request,
			baseURL
		}) => {
			const response = await request.post(path, { headers: { Origin: baseURL!, ...html }, form });
			expect(response.status()).toBe(400);
			expect(await response.text()).toMatch(message);
		});
	}
	test(`POST ${path} with a file where text belongs answers 400`, async ({ request, baseURL }) => {
		const response = await request.post(path, {
			headers: { Origin: baseURL!, ...html },
			multipart: {
				email: { name: 'a.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') },
				password: { name: 'b.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') }
			}
		});
		expect(response.status()).toBe(400);
		expect(await response.text()).toMatch(/must be text|is required/);
	});
}
