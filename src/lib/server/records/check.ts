import Database from 'better-sqlite3';
import { Cron } from 'croner';
import type { DB } from '../db';
import { chainHead } from './anchor';
import { describeReport, verifyChain } from './verify';

const LAST_CHECK = 'audit.last-check';

export interface ChainCheck {
	at: string;
	ok: boolean;
	events: number;
	head: string | null;
	/** The line audit:verify would print. */
	message: string;
}

/**
 * Verifies the whole chain and its records and keeps the outcome in `meta` (the admin page
 * shows it). On a database file it reads through a read-only connection of its own and lets
 * the event loop run every 2,000 rows, so requests keep being served during a long check.
 */
export async function runChainCheck(
	db: DB,
	path: string,
	now = () => new Date()
): Promise<ChainCheck> {
	const own =
		path !== ':memory:' ? new Database(path, { readonly: true, fileMustExist: true }) : null;
	let result: ChainCheck;
	try {
		const report = await verifyChain(own ?? db.$client, own ? { yieldEvery: 2000 } : {});
		result = {
			at: now().toISOString(),
			ok: report.ok,
			events: report.events,
			head: report.ok ? report.head : null,
			message: describeReport(report)
		};
	} finally {
		own?.close();
	}
	db.$client
		.prepare(
			'insert into meta (key, value) values (?, ?) on conflict (key) do update set value = excluded.value'
		)
		.run(LAST_CHECK, JSON.stringify(result));
	if (!result.ok) console.error(`Audit chain check FAILED: ${result.message}`);
	return result;
}

export function lastChainCheck(db: DB): ChainCheck | null {
	const row = db.$client.prepare('select value from meta where key = ?').get(LAST_CHECK) as
		{ value: string } | undefined;
	if (!row) return null;
	try {
		return JSON.parse(row.value) as ChainCheck;
	} catch {
		return null;
	}
}

/** What the instance admin's audit view shows: the head now, and the last check. */
export function auditChainStatus(db: DB) {
	return { ...chainHead(db.$client), lastCheck: lastChainCheck(db) };
}

/**
 * The server's daily check (03:17 UTC, croner), plus one soon after start when the last check
 * is missing or older than a day. Returns a function that stops it.
 */
export function scheduleChainChecks(db: DB, path: string): () => void {
	const run = async (): Promise<void> => {
		try {
			await runChainCheck(db, path);
		} catch (error) {
			console.error('Audit chain check could not run:', error);
		}
	};
	const job = new Cron('17 3 * * *', { timezone: 'UTC', protect: true, unref: true }, run);
	const last = lastChainCheck(db);
	const stale = !last || Date.now() - Date.parse(last.at) > 86_400_000;
	const soon = stale ? setTimeout(run, 30_000) : null;
	soon?.unref();
	return () => {
		job.stop();
		if (soon) clearTimeout(soon);
	};
}
