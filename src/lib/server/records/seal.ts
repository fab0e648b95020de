import type Database from 'better-sqlite3';
import type { DB, Queryable } from '../db';
import {
	eventHash,
	GENESIS_HASH,
	kindSpec,
	recordHash,
	type RecordKind,
	type RecordRef,
	type StoredEvent
} from './chain';
import { clientOf, recordAudit } from '../audit';

function spec(kind: RecordKind) {
	return kindSpec(kind)!;
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

/**
 * One-time seals, each recorded by a marker in `meta`: the first chains the events written
 * before the chain existed and seals the first court records; a later one seals only the kinds
 * it adds (a row of an older kind with no hash stays unsealed, and audit:verify reports it).
 */
const BACKFILLS: { key: string; chain: boolean; kinds: RecordKind[] }[] = [
	{
		key: 'records.chain-v1',
		chain: true,
		kinds: ['completion', 'certificate', 'certificate_revocation']
	},
	{ key: 'records.seal-v2', chain: false, kinds: ['attendance', 'rollcall_credit', 'exemption'] }
];
const REFS_PER_EVENT = 200;

/**
 * The chain backfill, run by openDatabase right after the migrations (SQL cannot compute
 * SHA-256, so migration 0013_audit_chain_seal leaves this to the application). Once per database
 * and step, in one IMMEDIATE transaction: chains the audit events written before the chain
 * existed, in id order, and seals the court records that have no record_hash (and are records
 * already: attendance of a session still open waits for its close), committing them with
 * `records.seal` events. Idempotent: markers in `meta` make later starts a look-up per step.
 */
export function sealExistingRecords(db: DB): { events: number; records: number } {
	const todo = () =>
		BACKFILLS.filter(
			(b) => db.$client.prepare('select 1 from meta where key = ?').get(b.key) === undefined
		);
	if (!todo().length) return { events: 0, records: 0 };
	return db.transaction(
		(tx) => {
			const steps = todo();
			const client = db.$client;
			let events = 0;
			let records = 0;
			for (const step of steps) {
				if (step.chain) events += chainUnchainedEvents(client);
				for (const kind of step.kinds) {
					const { table, pending } = spec(kind);
					const ids = (
						client
							.prepare(
								`select id from "${table}" where record_hash is null${pending ? ` and not (${pending})` : ''} order by id`
							)
							.all() as { id: number }[]
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
					.run(step.key, new Date().toISOString());
			}
			return { events, records };
		},
		{ behavior: 'immediate' }
	);
}

/** Links and hashes, in id order, the audit events that have no hash yet. */
function chainUnchainedEvents(client: Database.Database): number {
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
	return events;
}
