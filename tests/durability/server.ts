// Runs the production build (build/) as a child process and talks to it the way a browser
// without JavaScript does: form posts with an Origin header, answered by real 303 redirects.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request, Agent } from 'node:http';
import { createServer } from 'node:net';

export const SESSION_COOKIE = 'muster_session';

/** Stops with a clear message when there is no production build to test. */
export function requireBuild(): void {
	if (!existsSync('build/handler.js')) {
		throw new Error('No production build in build/: run `npm run build` first.');
	}
}

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			probe.close(() => resolve(port));
		});
	});
}

export interface Exit {
	code: number | null;
	signal: NodeJS.Signals | null;
}

export interface RunningServer {
	child: ChildProcess;
	origin: string;
	agent: Agent;
	exited: Promise<Exit>;
	/** What the server wrote to stderr (errors), for the failure message. */
	stderr(): string;
}

/** Starts the production server (scripts/server.js) on `databaseUrl` and resolves once it answers /login. */
export async function startServer(
	databaseUrl: string,
	port: number,
	env: Record<string, string> = {}
): Promise<RunningServer> {
	const origin = `http://127.0.0.1:${port}`;
	const child = spawn(process.execPath, ['scripts/server.js'], {
		env: {
			PATH: process.env.PATH ?? '',
			HOST: '127.0.0.1',
			PORT: String(port),
			ORIGIN: origin,
			DATABASE_URL: databaseUrl,
			MUSTER_DEMO: '0',
			...env
		},
		stdio: ['ignore', 'ignore', 'pipe']
	});
	let stderr = '';
	child.stderr?.on('data', (chunk: Buffer) => {
		stderr = (stderr + chunk.toString()).slice(-4000);
	});
	const exited = new Promise<Exit>((resolve) =>
		child.once('exit', (code, signal) => resolve({ code, signal }))
	);
	let gone = false;
	void exited.then(() => (gone = true));
	const agent = new Agent({ keepAlive: true, maxSockets: 256 });
	const server = { child, origin, agent, exited, stderr: () => stderr };
	const deadline = Date.now() + 20_000;
	for (;;) {
		if (gone) throw new Error(`The server exited during start-up:\n${stderr}`);
		try {
			const res = await send(server, 'GET', '/login');
			if (res.status === 200) return server;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) throw new Error(`The server did not start:\n${stderr}`);
		await new Promise((r) => setTimeout(r, 25));
	}
}

export interface Reply {
	status: number;
	location: string | null;
	cookies: string[];
}

export interface SendOptions {
	cookie?: string;
	body?: string;
	/** Called once the headers and the first part of the body are on the wire. */
	onSent?: () => Promise<void> | void;
}

/**
 * One HTTP request; rejects when the connection fails (a killed server), which is exactly
 * the case in which a client has seen no acknowledgement.
 */
export function send(
	server: Pick<RunningServer, 'origin' | 'agent'>,
	method: 'GET' | 'POST',
	path: string,
	options: SendOptions = {}
): Promise<Reply> {
	const url = new URL(path, server.origin);
	const headers: Record<string, string> = { Accept: 'text/html' };
	if (method === 'POST') {
		headers.Origin = server.origin;
		headers['Content-Type'] = 'application/x-www-form-urlencoded';
		headers['Content-Length'] = String(Buffer.byteLength(options.body ?? ''));
	}
	if (options.cookie) headers.Cookie = `${SESSION_COOKIE}=${options.cookie}`;
	return new Promise((resolve, reject) => {
		const req = request(url, { method, headers, agent: server.agent }, (res) => {
			res.resume();
			res.once('end', () =>
				resolve({
					status: res.statusCode ?? 0,
					location: res.headers.location ?? null,
					cookies: res.headers['set-cookie'] ?? []
				})
			);
			res.once('error', reject);
		});
		req.once('error', reject);
		const body = options.body ?? '';
		if (!options.onSent) {
			req.end(body);
			return;
		}
		// Half the body now, the rest after the caller's signal: a request that is in flight.
		const half = Math.floor(body.length / 2);
		req.write(body.slice(0, half));
		void Promise.resolve(options.onSent()).then(() => req.end(body.slice(half)));
	});
}

/** The session token a successful sign-in set, or null. */
export function sessionFrom(reply: Reply): string | null {
	for (const c of reply.cookies) {
		const m = new RegExp(`^${SESSION_COOKIE}=([^;]+)`).exec(c);
		if (m && m[1]) return m[1];
	}
	return null;
}

/** Signs in over HTTP; returns the session token, or throws. */
export async function signInOverHttp(
	server: Pick<RunningServer, 'origin' | 'agent'>,
	email: string,
	password: string
): Promise<string> {
	const body = new URLSearchParams({ email, password }).toString();
	const reply = await send(server, 'POST', '/login', { body });
	const token = reply.status === 303 ? sessionFrom(reply) : null;
	if (!token) throw new Error(`Sign-in for ${email} failed with ${reply.status}`);
	return token;
}

/** SIGKILL: no handler runs, nothing is flushed, exactly like a power cut to the process. */
export async function killHard(server: RunningServer): Promise<void> {
	server.child.kill('SIGKILL');
	await server.exited;
	server.agent.destroy();
}
