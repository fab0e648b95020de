// Graceful shutdown: on SIGTERM the server stops accepting, finishes the requests it has begun,
// checkpoints and closes the database, and exits 0; no write it acknowledged is lost.
import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRecords } from './crash-check';
import {
	PASSWORD,
	acknowledges,
	seedLearners,
	shuffle,
	tempDir,
	writesOf,
	type Write
} from './seed';
import { freePort, requireBuild, send, signInOverHttp, startServer, type Exit } from './server';

const tmp = tempDir('muster-shutdown-');
afterAll(() => tmp.remove());

describe('graceful shutdown on SIGTERM', () => {
	it('finishes requests in flight, loses no acknowledged write, checkpoints and exits 0', async () => {
		requireBuild();
		const dbPath = join(tmp.dir, 'muster.db');
		const learners = await seedLearners(dbPath, 120);
		const server = await startServer(dbPath, await freePort());
		await Promise.all(
			learners.map(async (l) => (l.token = await signInOverHttp(server, l.email, PASSWORD)))
		);
		const writes = learners.flatMap(writesOf);
		// Slow requests: submissions whose bodies are half sent when SIGTERM arrives.
		const slow = writes.filter((w) => w.kind === 'submit').slice(0, 40);
		const fast = shuffle(writes.filter((w) => !slow.includes(w)));

		let signalled!: () => void;
		const sigtermSent = new Promise<void>((resolve) => (signalled = resolve));
		const slowAgent = new Agent({ keepAlive: false, maxSockets: 64 });
		const acked: Write[] = [];
		const outcome = async (
			w: Write,
			reply: Promise<{ status: number; location: string | null }>
		) => {
			try {
				const r = await reply;
				if (acknowledges(w, r.status, r.location)) acked.push(w);
				else return `${r.status}`;
				return 'ack';
			} catch {
				return 'refused';
			}
		};
		const slowDone = Promise.all(
			slow.map((w) =>
				outcome(
					w,
					send({ origin: server.origin, agent: slowAgent }, 'POST', w.path, {
						cookie: w.learner.token,
						body: w.body,
						onSent: () => sigtermSent.then(() => new Promise((r) => setTimeout(r, 150)))
					})
				)
			)
		);
		// Once later connections are answered, the server has accepted the slow ones and read
		// their headers: they are in flight, not waiting in the listen queue.
		await new Promise((r) => setTimeout(r, 100));
		for (let i = 0; i < 3; i++)
			await send({ origin: server.origin, agent: slowAgent }, 'GET', '/login');
		await new Promise((r) => setTimeout(r, 200));
		let fastAcks = 0;
		let exit!: Promise<Exit>;
		const fastDone = Promise.all(
			fast.map(async (w) => {
				const result = await outcome(
					w,
					send(server, 'POST', w.path, { cookie: w.learner.token, body: w.body })
				);
				if (result === 'ack' && ++fastAcks === 40) {
					server.child.kill('SIGTERM');
					exit = server.exited;
					signalled();
				}
				return result;
			})
		);
		const [slowResults, fastResults] = await Promise.all([slowDone, fastDone]);
		expect(exit, 'SIGTERM was sent').toBeDefined();
		const { code, signal } = await exit;

		// Every request begun before SIGTERM was answered; requests after it were refused.
		expect(slowResults).toEqual(slow.map(() => 'ack'));
		expect(fastResults.filter((r) => r !== 'ack' && r !== 'refused')).toEqual([]);
		expect(fastResults).toContain('refused');
		expect({ code, signal }).toEqual({ code: 0, signal: null });
		expect(server.stderr()).not.toMatch(/error/i);
		// Checkpointed on close: the main file holds everything, the WAL is gone or empty.
		const wal = `${dbPath}-wal`;
		expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);

		const db = new Database(dbPath);
		const report = checkRecords(db, learners, acked, []);
		db.close();
		expect(report.lost).toEqual([]);
		expect(report.duplicates).toEqual([]);
		expect(report.integrity).toBe('ok');
		expect(acked.length).toBeGreaterThanOrEqual(80);
		console.info(
			`shutdown: ${acked.length} acknowledged (${slow.length} slow submissions in flight at ` +
				`SIGTERM), ${fastResults.filter((r) => r === 'refused').length} refused, lost 0`
		);
	});
});
