import type Database from 'better-sqlite3';
import { SQLiteTransaction } from 'drizzle-orm/sqlite-core';
import type { DB, Queryable } from './db';
import { eventHash, GENESIS_HASH, type StoredEvent } from './records/chain';

export interface AuditEntry {
	action: string;
	outcome: 'success' | 'failure' | 'denied';
	actorId?: number | null;
	actorEmail?: string | null;
	subjectType?: string;
	subjectId?: string | number;
	orgId?: number | null;
	ip?: string | null;
	/** Free-form; `records: RecordRef[]` (from sealRecord) commits the event to court records. */
	detail?: Record<string, unknown>;
	at?: Date;
}

/**
 * Appends one event to the hash-chained audit trail (the bytes hashed are documented in
 * records/chain.ts). Call it inside the transaction that made the change: the event then
 * commits with it or not at all.
 *
 * The chain must follow commit order even with writers in other processes, so the head is
 * read only while this connection holds SQLite's write lock: a no-op UPDATE takes the lock
 * first (a transaction that only read so far waits for it through busy_timeout; one whose read
 * snapshot went stale meanwhile fails with SQLITE_BUSY and writes nothing). Called outside a
 * transaction, it opens an IMMEDIATE one of its own.
 */
export function recordAudit(db: Queryable, entry: AuditEntry): void {
	if (db instanceof SQLiteTransaction || clientOf(db).inTransaction) append(db, entry);
	else (db as DB).transaction((tx) => append(tx, entry), { behavior: 'immediate' });
}

/** The better-sqlite3 connection under a database or transaction handle. */
export function clientOf(db: Queryable): Database.Database {
	// A transaction handle keeps its connection on its session (drizzle-orm's better-sqlite3
	// driver); the database handle exposes it as $client.
	const client =
		(db as DB).$client ??
		(db as unknown as { session: { client: Database.Database } }).session.client;
	if (!client?.prepare) throw new Error('recordAudit needs a better-sqlite3 connection');
	return client;
}

interface Statements {
	lock: Database.Statement;
	head: Database.Statement<[], { id: number; hash: string | null }>;
	insert: Database.Statement;
}

/** Prepared once per connection: the submit path appends an event in every transaction. */
const statements = new WeakMap<Database.Database, Statements>();

function prepare(client: Database.Database): Statements {
	let s = statements.get(client);
	if (!s) {
		s = {
			lock: client.prepare("update meta set value = value where key = 'audit.write-lock'"),
			head: client.prepare('select id, hash from audit_event order by id desc limit 1'),
			insert: client.prepare(
				`insert into audit_event (id, at, actor_id, actor_email, action, outcome, subject_type,
				 subject_id, org_id, ip, detail, prev_hash, hash)
				 values (@id, @at, @actor_id, @actor_email, @action, @outcome, @subject_type,
				 @subject_id, @org_id, @ip, @detail, @prev_hash, @hash)`
			)
		};
		statements.set(client, s);
	}
	return s;
}

function append(db: Queryable, entry: AuditEntry): void {
	const s = prepare(clientOf(db));
	s.lock.run();
	const head = s.head.get();
	const event: StoredEvent = {
		id: (head?.id ?? 0) + 1,
		at: (entry.at ?? new Date()).getTime(),
		actor_id: entry.actorId ?? null,
		actor_email: entry.actorEmail ?? null,
		action: entry.action,
		outcome: entry.outcome,
		subject_type: entry.subjectType ?? null,
		subject_id: entry.subjectId === undefined ? null : String(entry.subjectId),
		org_id: entry.orgId ?? null,
		ip: entry.ip ?? null,
		detail: entry.detail ? JSON.stringify(entry.detail) : null,
		prev_hash: head ? head.hash : GENESIS_HASH
	};
	if (event.prev_hash === null) {
		// Only possible before the start-up backfill chained the old rows (openDatabase runs it).
		throw new Error('The audit trail has unchained events: run the chain backfill first');
	}
	s.insert.run({ ...event, hash: eventHash(event) });
}
