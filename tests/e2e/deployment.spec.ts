import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { get, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { E2E_PORT } from './accounts';
import { expect, test } from './fixtures';

// Servers of their own, started the way an operator behind a reverse proxy would (the
// request's origin taken from X-Forwarded-* headers), to show M2 (emailed links), L5 (the reset
// limit) and the token bucket in front of sign-in.

interface Running {
	url: string;
	db: string;
	log: () => string;
	stop: () => Promise<void>;
}

async function start(name: string, port: number, env: Record<string, string>): Promise<Running> {
	const db = join(tmpdir(), `muster-e2e-${E2E_PORT}-${name}.db`);
	for (const s of ['', '-wal', '-shm']) rmSync(db + s, { force: true });
	let output = '';
	const child: ChildProcess = spawn(process.execPath, ['scripts/server.js'], {
		env: {
			PATH: process.env.PATH,
			PORT: String(port),
			HOST: '127.0.0.1',
			DATABASE_URL: db,
			PROTOCOL_HEADER: 'x-forwarded-proto',
			HOST_HEADER: 'x-forwarded-host',
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
	child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const url = `http://127.0.0.1:${port}`;
	await expect
		.poll(
			() =>
				fetch(`${url}/login`).then(
					(r) => r.status,
					() => 0
				),
			{ timeout: 30_000 }
		)
		.toBe(200);
	return {
		url,
		db,
		log: () => output,
		stop: async () => {
			child.kill('SIGTERM');
			await exited;
			for (const s of ['', '-wal', '-shm']) rmSync(db + s, { force: true });
		}
	};
}

function outbox(db: string, to: string): string[] {
	const conn = new Database(db, { readonly: true, fileMustExist: true });
	try {
		const rows = conn.prepare('select body from outbox where "to" = ?').all(to) as {
			body: string;
		}[];
		return rows.map((r) => r.body);
	} finally {
		conn.close();
	}
}

/** A form post as an attacker would send it through the proxy, with a poisoned host. */
function poisoned(url: string, path: string, body: Record<string, string>) {
	return fetch(`${url}${path}`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			'Content-Type': 'application/x-www-form-urlencoded',
			Accept: 'text/html',
			'X-Forwarded-Proto': 'https',
			'X-Forwarded-Host': 'attacker.example',
			Origin: 'https://attacker.example'
		},
		body: new URLSearchParams(body)
	});
}

const victim = 'officer@riverside.muster.test';

test.describe.configure({ mode: 'serial' });

test('M2, L5, bucket: behind a proxy, links use MUSTER_ORIGIN; resets and sign-ins are limited', async ({
	baseURL: _
}, info) => {
	test.skip(info.project.name !== 'chromium', 'its own server: one project is enough');
	test.setTimeout(90_000);
	const server = await start('proxied', E2E_PORT + 500, {
		MUSTER_ORIGIN: 'https://muster.example',
		RESET_PER_EMAIL_PER_HOUR: '2',
		SIGNIN_BUCKET_SIZE: '6',
		SIGNIN_BUCKET_PER_MINUTE: '1'
	});
	try {
		for (let i = 0; i < 2; i++) {
			const r = await poisoned(server.url, '/reset', { email: victim });
			expect(r.status).toBe(200);
			expect(await r.text()).toContain('we have sent it a link');
		}
		await expect.poll(() => outbox(server.db, victim).length).toBe(2);
		for (const body of outbox(server.db, victim)) {
			expect(body).toContain('https://muster.example/reset/');
			expect(body).not.toContain('attacker.example');
		}
		// L5: a third request for the same email within the hour is refused, and says why.
		const third = await poisoned(server.url, '/reset', { email: victim.toUpperCase() });
		expect(third.status).toBe(429);
		expect(await third.text()).toContain('Too many reset requests');

		// The token bucket (6, shared by reset and sign-in posts): 3 left, then refused before
		// the body is read (an unreadable body would otherwise be a 400).
		for (let i = 0; i < 3; i++) {
			const r = await poisoned(server.url, '/login', { email: 'x@example.org', password: 'x' });
			expect(r.status).toBe(400);
		}
		const flood = await fetch(`${server.url}/login`, {
			method: 'POST',
			headers: {
				'Content-Type': 'multipart/form-data; boundary=broken',
				Accept: 'text/html',
				'X-Forwarded-Proto': 'https',
				'X-Forwarded-Host': 'attacker.example',
				Origin: 'https://attacker.example'
			},
			body: 'not multipart at all'
		});
		expect(flood.status).toBe(429);
		expect(Number(flood.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(await flood.text()).toContain('Too many attempts from your network');
		// Pages are not affected.
		expect((await fetch(`${server.url}/login`)).status).toBe(200);
	} finally {
		await server.stop();
	}
});

test('M2: behind a proxy without a configured origin, no link is mailed and the server says why', async ({
	baseURL: _
}, info) => {
	test.skip(info.project.name !== 'chromium', 'its own server: one project is enough');
	test.setTimeout(90_000);
	const server = await start('no-origin', E2E_PORT + 501, {});
	try {
		expect(server.log()).toMatch(/PROTOCOL_HEADER\/HOST_HEADER are set but ORIGIN .* is not/);
		const r = await poisoned(server.url, '/reset', { email: victim });
		expect(r.status).toBe(200);
		await expect.poll(() => server.log()).toContain('[mail] not sent');
		expect(outbox(server.db, victim)).toEqual([]);
	} finally {
		await server.stop();
	}
});

test('behind a proxy that compresses, COMPRESSION=off sends pages as they are', async ({
	baseURL: _
}, info) => {
	test.skip(info.project.name !== 'chromium', 'its own server: one project is enough');
	test.setTimeout(90_000);
	// A typo stops the server at start with the variable's name, rather than guessing.
	const typo = spawn(process.execPath, ['scripts/server.js'], {
		env: { PATH: process.env.PATH, COMPRESSION: 'of', PORT: String(E2E_PORT + 502) },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let typoLog = '';
	typo.stderr!.on('data', (d: Buffer) => (typoLog += d.toString()));
	const code = await new Promise<number | null>((resolve) => typo.once('exit', resolve));
	expect(code).not.toBe(0);
	expect(typoLog).toContain('Invalid value for environment variable COMPRESSION: "of"');

	const server = await start('uncompressed', E2E_PORT + 502, { COMPRESSION: 'off' });
	try {
		// Raw HTTP: fetch would decompress before the test could see it.
		const page = await new Promise<IncomingMessage>((resolve, reject) =>
			get(
				`${server.url}/login`,
				{ headers: { 'Accept-Encoding': 'gzip, deflate, br' } },
				resolve
			).on('error', reject)
		);
		let html = '';
		for await (const chunk of page) html += String(chunk);
		expect(page.statusCode).toBe(200);
		expect(page.headers['content-encoding']).toBeUndefined();
		expect(html).toMatch(/^<!doctype html>/i);
		expect(html.length).toBeGreaterThan(1024);
	} finally {
		await server.stop();
	}
});
