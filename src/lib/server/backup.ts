import Database from 'better-sqlite3';
import {
	existsSync,
	mkdirSync,
	readdirSync,
	renameSync,
	rmSync,
	statSync,
	writeFileSync
} from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { BackupSettings } from './config';
import { chainHead } from './records/anchor';

/** `muster-YYYYMMDD-HHMMSSZ.db`, with `-N` added when two backups fall in the same second. */
const BACKUP_NAME = /^muster-(\d{8}-\d{6})Z(?:-(\d+))?\.db$/;

/** Pages per step: between steps the server's event loop runs and requests keep writing. */
export const PAGES_PER_STEP = 256;
/** Copy everything in one step: one consistent read snapshot (WAL readers never block writers). */
export const ALL_PAGES = 0x7fffffff;

export interface BackupOptions {
	dir: string;
	keep: number;
	now?: Date;
	pagesPerStep?: number;
}

export interface BackupResult {
	file: string;
	bytes: number;
	pages: number;
	ms: number;
	/** Older backups removed to keep `keep` of them. */
	pruned: string[];
	/** The audit chain's head in the copy, also written beside it as `<file>.audit-head.json`. */
	head: { eventId: number; head: string; events: number };
}

/** The file beside a backup that names its audit chain head (an anchor kept with the copy). */
export function headFileOf(backup: string): string {
	return `${backup}.audit-head.json`;
}

export function backupFileName(now: Date): string {
	const iso = now.toISOString(); // 2026-03-01T04:05:06.789Z
	const day = iso.slice(0, 10).replaceAll('-', '');
	const time = iso.slice(11, 19).replaceAll(':', '');
	return `muster-${day}-${time}Z.db`;
}

function freePath(dir: string, now: Date): string {
	const base = backupFileName(now);
	let path = join(dir, base);
	for (let n = 2; existsSync(path); n++) path = join(dir, base.replace(/\.db$/, `-${n}.db`));
	return path;
}

/**
 * Makes the copy self-contained (rollback journal, no -wal beside it) and checks it. Throws
 * unless `PRAGMA integrity_check` answers ok.
 */
export function verifyBackup(file: string): BackupResult['head'] {
	const copy = new Database(file, { fileMustExist: true });
	try {
		copy.pragma('journal_mode = DELETE');
		const result = copy.pragma('integrity_check', { simple: true });
		if (result !== 'ok')
			throw new Error(`The backup ${file} failed its integrity check: ${result}`);
		return chainHead(copy);
	} finally {
		copy.close();
	}
}

/** Backups in `dir`, newest first. */
export function listBackups(dir: string): string[] {
	if (!existsSync(dir)) return [];
	const key = (name: string) => {
		const m = BACKUP_NAME.exec(name)!;
		return `${m[1]}-${(m[2] ?? '1').padStart(6, '0')}`;
	};
	return readdirSync(dir)
		.filter((name) => BACKUP_NAME.test(name))
		.sort((a, b) => key(b).localeCompare(key(a)))
		.map((name) => join(dir, name));
}

/** Removes all but the newest `keep` backups; returns what it removed. */
export function pruneBackups(dir: string, keep: number): string[] {
	const old = listBackups(dir).slice(keep);
	for (const file of old) {
		rmSync(file, { force: true });
		rmSync(headFileOf(file), { force: true });
	}
	return old;
}

/**
 * An online backup with SQLite's backup API while the database keeps taking writes: copied
 * into a `.partial` file, verified, then renamed into place, so a backup that exists is whole.
 * Writes made through `source` itself during the copy are carried into it; a write by another
 * connection between steps restarts the copy, so a separate process should use ALL_PAGES.
 */
export async function backupDatabase(
	source: Database.Database,
	options: BackupOptions
): Promise<BackupResult> {
	const started = performance.now();
	const dir = resolve(options.dir);
	mkdirSync(dir, { recursive: true });
	const file = freePath(dir, options.now ?? new Date());
	const partial = `${file}.partial`;
	const step = options.pagesPerStep ?? PAGES_PER_STEP;
	let pages: number;
	let head: BackupResult['head'];
	try {
		pages = (await source.backup(partial, { progress: () => step })).totalPages;
		head = verifyBackup(partial);
		// The chain head the copy holds, beside it: compare it with `npm run audit:verify` later,
		// or keep it elsewhere as an anchor (a rewritten chain no longer contains it).
		writeFileSync(
			headFileOf(file),
			JSON.stringify(
				{ backup: basename(file), at: new Date().toISOString(), ...head },
				null,
				'\t'
			) + '\n'
		);
		renameSync(partial, file);
	} catch (error) {
		for (const suffix of ['', '-journal', '-wal', '-shm'])
			rmSync(partial + suffix, { force: true });
		rmSync(headFileOf(file), { force: true });
		throw error;
	}
	return {
		file,
		bytes: statSync(file).size,
		pages,
		head,
		ms: Math.round(performance.now() - started),
		pruned: pruneBackups(dir, options.keep)
	};
}

/**
 * Starts the scheduled backups the settings ask for (none when `intervalHours` is unset). The
 * timer never keeps the process alive; the returned function stops it and waits for a backup
 * under way, so the database is closed only after it.
 */
export function scheduleBackups(
	source: Database.Database,
	settings: BackupSettings
): () => Promise<void> {
	if (!settings.intervalHours) return async () => {};
	const ms = Math.round(settings.intervalHours * 3_600_000);
	if (ms > 0x7fffffff) throw new Error('BACKUP_INTERVAL_HOURS must be at most 596');
	let running: Promise<void> | null = null;
	const timer = setInterval(() => {
		if (running) return;
		running = backupDatabase(source, { dir: settings.dir, keep: settings.keep })
			.then(
				(r) => console.info(`Backup written: ${r.file} (${r.bytes} bytes, ${r.ms} ms)`),
				(error: unknown) => console.error('Scheduled backup failed:', error)
			)
			.finally(() => (running = null));
	}, ms);
	timer.unref();
	return async () => {
		clearInterval(timer);
		await running;
	};
}
