import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import { DEMO_PASSWORD } from './accounts';
import { expect, queryDb, test } from './fixtures';

// Every page and action under /orgs/[org] is found by walking the route folder, not listed by
// hand, and requested by five people. A route added without the organization check fails here.

const ROOT = 'src/routes/(app)/orgs/[org]';

interface Target {
	file: string;
	path: string;
	method: 'GET' | 'POST';
	action?: string;
	supervisorMayRead: boolean;
	/** Actions a supervisor may use: every check of the page, or of the action, asks for a supervisor. */
	supervisorMayAct?: boolean;
}

function enumerate(): Target[] {
	const targets: Target[] = [];
	const walk = (dir: string) => {
		for (const name of readdirSync(dir)) {
			const full = join(dir, name);
			if (statSync(full).isDirectory()) {
				walk(full);
				continue;
			}
			if (!/^\+(page\.server|server)\.ts$/.test(name)) continue;
			const rel = relative(ROOT, dir).split('/').filter(Boolean);
			const path = ['/orgs/[org]', ...rel].join('/');
			const source = readFileSync(full, 'utf8');
			const load = source.split('export const actions')[0]!;
			const supervisorMayRead = /requireOrg\(event, 'supervisor'\)/.test(load);
			const supervisorMayAct =
				/requireOrg\(event, 'supervisor'\)/.test(source) &&
				!/requireOrg\(event, 'admin'\)/.test(source);
			if (name === '+server.ts') {
				for (const m of source.matchAll(/export const (GET|POST)/g)) {
					targets.push({ file: full, path, method: m[1] as 'GET' | 'POST', supervisorMayRead });
				}
				continue;
			}
			if (/export const load/.test(source))
				targets.push({ file: full, path, method: 'GET', supervisorMayRead });
			const actions = source.split('export const actions')[1];
			if (actions) {
				const found = [...actions.matchAll(/^\t(\w+): /gm)];
				found.forEach((m, i) => {
					// An action that requires only 'supervisor' is one supervisors may use.
					const body = actions.slice(m.index, found[i + 1]?.index ?? actions.length);
					targets.push({
						file: full,
						path,
						method: 'POST',
						action: m[1],
						supervisorMayRead: false,
						supervisorMayAct: supervisorMayAct || /requireOrg\(event, 'supervisor'\)/.test(body)
					});
				});
			}
		}
	};
	walk(ROOT);
	return targets;
}

/**
 * Calls a page or action. Actions are called the way use:enhance does, so SvelteKit answers with
 * the action's own result and runs no load: a layout's guard cannot hide an unguarded action.
 */
async function call(
	context: APIRequestContext,
	t: Pick<Target, 'method' | 'action'>,
	url: string
): Promise<{ status: number; location: string }> {
	if (t.method === 'GET' || !t.action) {
		const r =
			t.method === 'GET'
				? await context.get(url, { maxRedirects: 0 })
				: await context.post(url, { form: {}, maxRedirects: 0 });
		return { status: r.status(), location: r.headers()['location'] ?? '' };
	}
	const r = await context.post(url, {
		form: {},
		maxRedirects: 0,
		headers: { Accept: 'application/json', 'x-sveltekit-action': 'true' }
	});
	// {type:'failure'|'redirect', status}, or {type:'error'} with the status on the response.
	const body = (await r.json()) as { type: string; status?: number; location?: string };
	return { status: body.status ?? r.status(), location: body.location ?? '' };
}

async function signedIn(baseURL: string, email: string | null): Promise<APIRequestContext> {
	const context = await playwrightRequest.newContext({
		baseURL,
		extraHTTPHeaders: { Origin: baseURL, Accept: 'text/html' }
	});
	if (email) {
		const r = await context.post('/login', {
			form: { email, password: DEMO_PASSWORD },
			maxRedirects: 0
		});
		expect(r.status(), `sign in ${email}`).toBe(303);
	}
	return context;
}

test('every /orgs/[org] page and action checks membership and role on the server', async ({
	baseURL
}, info) => {
	test.skip(info.project.name !== 'chromium', 'an HTTP matrix: one browser project is enough');
	test.setTimeout(120_000);
	const targets = enumerate();
	// The walk must find the routes that exist today (guards against a broken enumeration).
	expect(targets.length).toBeGreaterThanOrEqual(12);
	expect(targets.map((t) => t.path)).toContain('/orgs/[org]/members/[id=id]');
	expect(targets.map((t) => t.path)).toContain('/orgs/[org]/import/[id=id]');
	expect(targets.map((t) => t.path)).toContain('/orgs/[org]/rollcall/[id=id]/present');
	expect(targets.map((t) => t.path)).toContain('/orgs/[org]/rollcall/[id=id]/roster.csv');
	for (const p of [
		'assignments',
		'matrix',
		'insights',
		'reports/completions.csv',
		'reports/status.csv'
	])
		expect(targets.map((t) => t.path)).toContain(`/orgs/[org]/${p}`);
	expect(targets.map((t) => t.path)).toContain('/orgs/[org]/members/[id=id]/transcript.pdf');

	const [adminA] = queryDb<{ email: string }>(
		"select u.email from membership m join user u on u.id = m.user_id join organization o on o.id = m.org_id where o.slug = 'riverside-pd' and m.role = 'admin' order by m.id limit 1"
	);
	const [memberA] = queryDb<{ id: number }>(
		"select m.id from membership m join organization o on o.id = m.org_id where o.slug = 'riverside-pd' and m.role = 'learner' order by m.id desc limit 1"
	);
	const people = {
		anonymous: await signedIn(baseURL!, null),
		learnerA: await signedIn(baseURL!, 'officer@riverside.muster.test'),
		supervisorA: await signedIn(baseURL!, 'sergeant@riverside.muster.test'),
		adminA: await signedIn(baseURL!, adminA!.email),
		adminB: await signedIn(baseURL!, 'chief@campus.muster.test')
	};
	// An import to point /import/[id=id] at, made by organization A's admin.
	const upload = await people.adminA.post('/orgs/riverside-pd/import?/upload', {
		multipart: {
			roster: {
				name: 'matrix.csv',
				mimeType: 'text/csv',
				buffer: Buffer.from('name,email\nMatrix Test,matrix.test@riverside.example\n')
			}
		},
		maxRedirects: 0
	});
	expect(upload.status()).toBe(303);
	const importId = /\/import\/(\d+)$/.exec(upload.headers()['location'] ?? '')![1]!;
	// A roll-call session to point /rollcall/[id=id] at, started by organization A's supervisor.
	const started = await people.supervisorA.post('/orgs/riverside-pd/rollcall?/start', {
		form: { module: 'roll-call/who-to-call', group: '' },
		maxRedirects: 0
	});
	expect(started.status()).toBe(303);
	const sessionId = /\/rollcall\/(\d+)\/present$/.exec(started.headers()['location'] ?? '')![1]!;
	const idFor = (path: string) =>
		path.includes('/import/')
			? importId
			: path.includes('/rollcall/')
				? sessionId
				: String(memberA!.id);
	const url = (t: Target) =>
		t.path.replace('[org]', 'riverside-pd').replace('[id=id]', idFor(t.path)) +
		(t.action ? `?/${t.action}` : '');

	const failures: string[] = [];
	for (const t of targets) {
		for (const [who, context] of Object.entries(people)) {
			const { status, location } = await call(context, t, url(t));
			const expected =
				who === 'anonymous'
					? status === 303 && location.startsWith('/login')
					: who === 'adminB'
						? status === 404
						: who === 'learnerA'
							? status === 403
							: who === 'supervisorA'
								? t.supervisorMayRead && t.method === 'GET'
									? status === 200
									: t.supervisorMayAct && t.method === 'POST'
										? status !== 403 && status !== 404 && status < 500
										: status === 403
								: status !== 403 && status !== 404 && status < 500;
			if (!expected)
				failures.push(`${who} ${t.method} ${url(t)} → ${status} ${location} (${t.file})`);
		}
	}
	expect(failures).toEqual([]);
	// Another organization's member id is "not found" even for that org's... own admin elsewhere.
	const [memberB] = queryDb<{ id: number }>(
		"select m.id from membership m join organization o on o.id = m.org_id where o.slug = 'northfield-ps' order by m.id desc limit 1"
	);
	expect((await people.adminA.get(`/orgs/riverside-pd/members/${memberB!.id}`)).status()).toBe(404);
	const foreign = await call(
		people.adminA,
		{ method: 'POST', action: 'deactivate' },
		`/orgs/riverside-pd/members/${memberB!.id}?/deactivate`
	);
	expect(foreign.status).toBe(404);
	// Another organization's roll-call session is not found under one's own organization either.
	for (const path of ['', '/present', '/presence', '/roster.csv'])
		expect(
			(await people.adminB.get(`/orgs/northfield-ps/rollcall/${sessionId}${path}`)).status()
		).toBe(404);
	for (const c of Object.values(people)) await c.dispose();
});
