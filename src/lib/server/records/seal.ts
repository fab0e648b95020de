import type Database from 'better-sqlite3';
import type { DB, Queryable } from '../db';
import {
	eventHash,
	GENESIS_HASH,
	RECORD_KINDS,
	recordHash,
	type RecordKind,
	type RecordRef,
	type StoredEvent
} from './chain';
import { clientOf, recordAudit } from '../audit';

function spec(kind: RecordKind) {
	return RECORD_KINDS[kind];
}

/**
 * Computes a court record's hash from the row as stored, writes it into the row's
 * `record_hash`, and returns the reference its audit event must carry in `detail.records`.
 * Call it in the transaction that wrote the row, after the insert.
 */
export function sealRecord(db: Queryable, kind: RecordKind, id: number): RecordRef {
	const s = prepare(clientOf(db), kind);
	const row = s.read.get(id);
	if (!row) throw new Error(`No ${kind} ${id} to seal`);
	const hash = recordHash(kind, row);
	s.write.run(hash, id);
	return { kind, id, hash };
}

type SealStatements = {
	read: Database.Statement<[number], Record<string, unknown>>;
	write: Database.Statement<[string, number]>;
};
/** Prepared once per connection and kind (the submit path seals two records). */
const statements = new WeakMap<Database.Database, Map<RecordKind, SealStatements>>();

function prepare(client: Database.Database, kind: RecordKind): SealStatements {
	let byKind = statements.get(client);
	if (!byKind) statements.set(client, (byKind = new Map()));
	let s = byKind.get(kind);
	if (!s) {
		const { table, columns } = spec(kind);
		s = {
			read: client.prepare(
				`select ${columns.map((c) => `"${c}"`).join(', ')} from "${table}" where id = ?`
			),
			write: client.prepare(`update "${table}" set record_hash = ? where id = ?`)
		};
		byKind.set(kind, s);
	}
	return s;
}

const BACKFILL_KEY = 'records.chain-v1';
const REFS_PER_EVENT = 200;

/**
 * The chain backfill, run by openDatabase right after the migrations (SQL cannot compute
 * SHA-256, so migration 0013_audit_chain_seal leaves this to the application). Once per database, in one
 * IMMEDIATE transaction: chains the audit events written before the chain existed, in id
 * order, and seals the court records that have no record_hash, committing them with
 * `records.seal` events. Idempotent: a marker in `meta` makes later starts a single look-up.
 */
export function sealExistingRecords(db: DB): { events: number; records: number } {
	const done = () =>
		db.$client.prepare('select 1 from meta where key = ?').get(BACKFILL_KEY) !== undefined;
	if (done()) return { events: 0, records: 0 };
	return db.transaction(
		(tx) => {
			if (done()) return { events: 0, records: 0 };
			const client = db.$client;
			let prev = GENESIS_HASH;
			let events = 0;
			const update = client.prepare(
				'update audit_event set prev_hash = ?, hash = ? where id = ? and hash is null'
			);
			for (const row of client
				.prepare('select * from audit_event order by id')
				.all() as StoredEvent[]) {
				if (row.hash) {
					prev = row.hash;
					continue;
				}
				const linked = { ...row, prev_hash: prev };
				const hash = eventHash(linked);
				update.run(prev, hash, row.id);
				prev = hash;
				events += 1;
			}
			let records = 0;
			for (const kind of Object.keys(RECORD_KINDS) as RecordKind[]) {
				const { table } = spec(kind);
				const ids = (
					client
						.prepare(`select id from "${table}" where record_hash is null order by id`)
						.all() as {
						id: number;
					}[]
				).map((r) => r.id);
				for (let i = 0; i < ids.length; i += REFS_PER_EVENT) {
					const refs = ids.slice(i, i + REFS_PER_EVENT).map((id) => sealRecord(tx, kind, id));
					recordAudit(tx, {
						action: 'records.seal',
						outcome: 'success',
						subjectType: kind,
						detail: { reason: 'written before the hash chain existed', records: refs }
					});
					records += refs.length;
				}
			}
			client
				.prepare('insert into meta (key, value) values (?, ?)')
				.run(BACKFILL_KEY, new Date().toISOString());
			return { events, records };
		},
		{ behavior: 'immediate' }
	);
}
