import type Database from 'better-sqlite3';
import { clientOf } from '../audit';
import type { DB, Tx } from '.';

interface Job {
	work: (tx: Tx) => unknown;
	resolve: (value: unknown) => void;
	reject: (error: unknown) => void;
}

interface Group {
	pending: Job[];
	scheduled: boolean;
}

const groups = new WeakMap<Database.Database, Group>();

/**
 * Group commit: write transactions asked for in the same turn of the event loop (the
 * submissions whose requests arrived while the previous commit was being written to disk)
 * share one IMMEDIATE transaction and so one fsync, each in a savepoint of its own.
 *
 * With `synchronous=FULL` every commit waits for the disk, and a server with one connection
 * commits one at a time: under a burst of submissions (a shift finishing its assessment) each
 * one waited for the fsyncs of all before it. A work function that throws rolls back its own
 * savepoint only, and its promise rejects; the others are kept. The promises resolve only
 * after the shared commit has returned, so nothing is acknowledged before it is on disk, and
 * if the commit fails, every promise of the group rejects and none of its work is kept.
 *
 * The work runs synchronously inside the transaction, in the order asked, and sees the work
 * before it (a double submit in one group finds the attempt already graded).
 */
export function commitInGroup<T>(db: DB, work: (tx: Tx) => T): Promise<T> {
	const client = clientOf(db);
	let group = groups.get(client);
	if (!group) groups.set(client, (group = { pending: [], scheduled: false }));
	const g = group;
	return new Promise<T>((resolve, reject) => {
		g.pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
		if (!g.scheduled) {
			g.scheduled = true;
			// After the I/O callbacks of this turn: every request already read joins the group.
			setImmediate(() => flush(db, g));
		}
	});
}

function flush(db: DB, group: Group): void {
	group.scheduled = false;
	const jobs = group.pending;
	group.pending = [];
	const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
	try {
		db.transaction((tx) => {
			// Alone, the work is the transaction: if it throws, the whole of it rolls back.
			if (jobs.length === 1) return void outcomes.push({ ok: true, value: jobs[0]!.work(tx) });
			for (const job of jobs) {
				try {
					// A nested transaction is a savepoint: rolled back alone if the work throws.
					outcomes.push({ ok: true, value: tx.transaction((sp) => job.work(sp)) });
				} catch (error) {
					outcomes.push({ ok: false, error });
				}
			}
		});
	} catch (error) {
		for (const job of jobs) job.reject(error);
		return;
	}
	jobs.forEach((job, i) => {
		const outcome = outcomes[i]!;
		if (outcome.ok) job.resolve(outcome.value);
		else job.reject(outcome.error);
	});
}
