import { sql } from 'drizzle-orm';
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
	if (db instanceof SQLiteTransaction || (db as DB).$client.inTransaction) append(db, entry);
	else (db as DB).transaction((tx) => append(tx, entry), { behavior: 'immediate' });
}

function append(db: Queryable, entry: AuditEntry): void {
	db.run(sql`update meta set value = value where key = 'audit.write-lock'`);
	const head = db.get<{ id: number; hash: string | null } | undefined>(
		sql`select id, hash from audit_event order by id desc limit 1`
	);
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
	const hash = eventHash(event);
	db.run(sql`insert into audit_event
		(id, at, actor_id, actor_email, action, outcome, subject_type, subject_id, org_id, ip, detail, prev_hash, hash)
		values (${event.id}, ${event.at}, ${event.actor_id}, ${event.actor_email}, ${event.action},
			${event.outcome}, ${event.subject_type}, ${event.subject_id}, ${event.org_id}, ${event.ip},
			${event.detail}, ${event.prev_hash}, ${hash})`);
}
