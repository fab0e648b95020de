// Backups under load, and the restore procedures of the README: a backup is only real once it
// has been restored and the server has run on it.
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ALL_PAGES, backupDatabase, listBackups } from '../../src/lib/server/backup';
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
import {
	freePort,
	requireBuild,
	send,
	signInOverHttp,
	startServer,
	type RunningServer
} from './server';

const tmp = tempDir('muster-backup-');
afterAll(() => tmp.remove());

function count(path: string, table: string): number {
	const db = new Database(path, { fileMustExist: true });
	try {
		return (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
	} finally {
		db.close();
	}
}

async function stop(server: RunningServer): Promise<void> {
	server.child.kill('SIGTERM');
	expect(await server.exited).toEqual({ code: 0, signal: null });
}

describe('backups', () => {
	it('backs up while writes are in flight, and the copy restores to a new file intact', async () => {
		requireBuild();
		const dbPath = join(tmp.dir, 'live.db');
		const learners = await seedLearners(dbPath, 100);
		const server = await startServer(dbPath, await freePort());
		await Promise.all(
			learners.map(async (l) => (l.token = await signInOverHttp(server, l.email, PASSWORD)))
		);
		const seeded = { progress: count(dbPath, 'module_progress'), completions: 0 };

		const acked: Write[] = [];
		let inFlight = 0;
		let backupStarted: Promise<{ file: string; before: Write[]; inFlight: number }> | null = null;
		const source = new Database(dbPath, { fileMustExist: true });
		const startBackup = async () => {
			const before = [...acked];
			const flying = inFlight;
			// What `npm run backup` does: a second connection beside the server's.
			const result = await backupDatabase(source, {
				dir: join(tmp.dir, 'backups'),
				keep: 14,
				pagesPerStep: ALL_PAGES
			});
			console.info(
				`backup under load: ${result.bytes} bytes, ${result.pages} pages, ${result.ms} ms, ` +
					`${flying} requests in flight at its start, ${before.length} acknowledged before it`
			);
			return { file: result.file, before, inFlight: flying };
		};
		await Promise.all(
			shuffle(learners.flatMap(writesOf)).map(async (w) => {
				inFlight += 1;
				const r = await send(server, 'POST', w.path, { cookie: w.learner.token, body: w.body });
				inFlight -= 1;
				if (acknowledges(w, r.status, r.location)) acked.push(w);
				if (acked.length === 100) backupStarted = startBackup();
			})
		);
		expect(backupStarted, 'the backup ran').not.toBeNull();
		const backup = await backupStarted!;
		source.close();
		await stop(server);
		expect(acked.length).toBe(learners.length * 4);
		expect(backup.inFlight).toBeGreaterThanOrEqual(100);

		// Restore to a new file, as the README says, and let the server run on it.
		const restored = join(tmp.dir, 'restored.db');
		copyFileSync(backup.file, restored);
		const again = await startServer(restored, await freePort());
		await signInOverHttp(again, learners[0]!.email, PASSWORD);
		await stop(again);

		const db = new Database(restored);
		const report = checkRecords(db, learners, backup.before, []);
		db.close();
		expect(report.integrity).toBe('ok');
		expect(report.lost).toEqual([]);
		expect(report.duplicates).toEqual([]);
		const completes = backup.before.filter((w) => w.kind === 'complete').length;
		const submits = backup.before.length - completes;
		expect(count(restored, 'module_progress')).toBeGreaterThanOrEqual(seeded.progress + completes);
		expect(count(restored, 'completion')).toBeGreaterThanOrEqual(seeded.completions + submits);
		expect(count(restored, 'completion')).toBeLessThanOrEqual(count(dbPath, 'completion'));
	});

	it('`npm run backup` writes timestamped, verified files and keeps BACKUP_KEEP of them', () => {
		const dbPath = join(tmp.dir, 'live.db');
		const dir = join(tmp.dir, 'cli');
		const env = { ...process.env, DATABASE_URL: dbPath, BACKUP_DIR: dir, BACKUP_KEEP: '2' };
		for (let i = 0; i < 3; i++) {
			const run = spawnSync('npx', ['tsx', 'scripts/backup.ts'], { env, encoding: 'utf8' });
			expect(run.stderr.replace(/^npm warn.*\n/gm, '')).toBe('');
			expect(run.status).toBe(0);
			expect(run.stdout).toMatch(/Backup written: .*muster-\d{8}-\d{6}Z(-\d+)?\.db .*integrity ok/);
		}
		const files = readdirSync(dir);
		// each backup with the audit chain head it holds beside it (pruned together)
		expect(files).toHaveLength(4);
		expect(
			files.every((f) => /^muster-\d{8}-\d{6}Z(-\d+)?\.db(\.audit-head\.json)?$/.test(f))
		).toBe(true);
		const newest = listBackups(dir)[0]!;
		const head = JSON.parse(readFileSync(`${newest}.audit-head.json`, 'utf8'));
		const last = new Database(newest, { readonly: true });
		expect(head.head).toBe(
			(
				last.prepare('select hash from audit_event order by id desc limit 1').get() as {
					hash: string;
				}
			).hash
		);
		last.close();
		expect(count(listBackups(dir)[0]!, 'completion')).toBe(count(dbPath, 'completion'));

		const missing = spawnSync('npx', ['tsx', 'scripts/backup.ts'], {
			env: { ...env, DATABASE_URL: join(tmp.dir, 'nothing-here.db') },
			encoding: 'utf8'
		});
		expect(missing.status).toBe(1);
	});

	it('takes scheduled backups in the server, and a backup restored in place serves again', async () => {
		const dbPath = join(tmp.dir, 'live.db');
		const dir = join(tmp.dir, 'scheduled');
		const port = await freePort();
		// 0.0003 hours is about a second: three or four backups in the wait below, two kept.
		const env = { BACKUP_DIR: dir, BACKUP_KEEP: '2', BACKUP_INTERVAL_HOURS: '0.0003' };
		const server = await startServer(dbPath, port, env);
		await new Promise((r) => setTimeout(r, 3_500));
		await stop(server);
		const backups = listBackups(dir);
		expect(backups).toHaveLength(2);
		const users = count(dbPath, 'user');
		expect(count(backups[0]!, 'user')).toBe(users);

		// The in-place restore: server stopped, copy over DATABASE_URL, remove -wal and -shm.
		const sessions = count(dbPath, 'session');
		const again = await startServer(dbPath, port);
		await signInOverHttp(again, 'learner0@durability.test', PASSWORD);
		await stop(again);
		expect(count(dbPath, 'session')).toBe(sessions + 1);
		copyFileSync(backups[0]!, dbPath);
		for (const suffix of ['-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
		const restored = await startServer(dbPath, port);
		const reply = await send(restored, 'GET', '/login');
		await signInOverHttp(restored, 'learner1@durability.test', PASSWORD);
		await stop(restored);
		expect(reply.status).toBe(200);
		// The session made after the backup is gone with the restore; the new one is there.
		expect(count(dbPath, 'session')).toBe(sessions + 1);
	});
});
