import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

const VITE = resolve('node_modules/vite/bin/vite.js');

/** Runs a production build with Vite in `cwd`; its output is shown only when it fails. */
export function viteBuild(cwd: string): Promise<number> {
	const started = performance.now();
	return new Promise((done, fail) => {
		const child = spawn(process.execPath, [VITE, 'build'], {
			cwd,
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let log = '';
		child.stdout.on('data', (d: Buffer) => (log += d));
		child.stderr.on('data', (d: Buffer) => (log += d));
		child.on('error', fail);
		child.on('exit', (code) => {
			if (code === 0) done((performance.now() - started) / 1000);
			else fail(new Error(`vite build in ${cwd} failed (exit ${code}):\n${log}`));
		});
	});
}

/** A port the kernel has just handed out on loopback, free for the server we start next. */
export function freePort(): Promise<number> {
	return new Promise((done, fail) => {
		const server = createServer();
		server.on('error', fail);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => done(port));
		});
	});
}

export interface Server {
	name: string;
	pid: number;
	/** Where the load generator connects. */
	url: string;
	/** What the server believes its public origin is: form posts must carry it as Origin. */
	origin: string;
	stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

/** Ends every server this process started (also on Ctrl-C and on an uncaught error). */
export function stopAll(): void {
	for (const child of running) child.kill('SIGKILL');
	running.clear();
}
process.on('exit', stopAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.on(signal, () => {
		stopAll();
		process.exit(130);
	});
}

/** Starts a built adapter-node server as a child process and waits until it answers. */
export async function startServer(
	name: string,
	entry: string,
	env: Record<string, string>
): Promise<Server> {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	// localhost, not 127.0.0.1, in ORIGIN: the name SvelteKit treats as a development host.
	const origin = `http://localhost:${port}`;
	// BENCH_PROFILE=dir: the server writes a V8 CPU profile there when it stops (open it in
	// Chrome's DevTools) to see where a scenario's time goes.
	const profile = process.env.BENCH_PROFILE;
	const flags = profile ? ['--cpu-prof', `--cpu-prof-dir=${resolve(profile)}`] : [];
	const child = spawn(process.execPath, [...flags, entry], {
		env: { ...process.env, ...env, HOST: '127.0.0.1', PORT: String(port), ORIGIN: origin },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	running.add(child);
	let log = '';
	child.stdout!.on('data', (d: Buffer) => (log += d));
	child.stderr!.on('data', (d: Buffer) => (log += d));
	const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
	const deadline = Date.now() + 20_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`${name} exited at start:\n${log}`);
		if (Date.now() > deadline) throw new Error(`${name} did not answer within 20 s:\n${log}`);
		const ok = await fetch(url, { redirect: 'manual' }).then(
			() => true,
			() => false
		);
		if (ok) break;
		await new Promise((r) => setTimeout(r, 100));
	}
	return {
		name,
		pid: child.pid!,
		url,
		origin,
		async stop() {
			if (child.exitCode === null) {
				child.kill('SIGTERM');
				const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
				await exited;
				clearTimeout(timer);
			}
			running.delete(child);
			// A server that logged errors under load is worth showing, even if it ran to the end.
			if (/error/i.test(log)) console.warn(`${name} logged:\n${log.slice(-2000)}`);
		}
	};
}
