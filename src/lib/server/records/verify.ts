import type Database from 'better-sqlite3';
import {
	eventHash,
	GENESIS_HASH,
	kindSpec,
	RECORD_KINDS,
	recordHash,
	recordRefs,
	type StoredEvent
} from './chain';

/** A head taken earlier (an anchor): the chain must still hold this hash at this event. */
export interface Anchor {
	eventId: number;
	head: string;
	events: number;
	at?: string;
}

export interface ChainProblem {
	/** The event or record where verification stopped. */
	place: string;
	message: string;
	eventId?: number;
	kind?: string;
	recordId?: number;
}

export type ChainReport =
	| { ok: true; events: number; headId: number; head: string; records: number }
	| { ok: false; events: number; problem: ChainProblem };

const short = (hash: string | null | undefined) => (hash ? `${hash.slice(0, 16)}…` : 'none');

/**
 * Walks the whole audit chain from the first event, recomputes every event's hash and link,
 * then recomputes every court record's hash and checks it against the audit event that
 * committed to it (records/chain.ts documents the bytes). Uses plain SQL on the connection it
 * is given, in one read snapshot. `yieldEvery` rows it lets the event loop run (only with a
 * connection of its own: the server's daily check opens one). Stops at the first problem.
 */
export async function verifyChain(
	client: Database.Database,
	options: { against?: Anchor; yieldEvery?: number } = {}
): Promise<ChainReport> {
	const ownTransaction = !client.inTransaction;
	if (ownTransaction) client.exec('begin');
	try {
		return await walk(client, options);
	} finally {
		if (ownTransaction && client.inTransaction) client.exec('rollback');
	}
}

async function walk(
	client: Database.Database,
	options: { against?: Anchor; yieldEvery?: number }
): Promise<ChainReport> {
	const pause = async (n: number) => {
		if (options.yieldEvery && n % options.yieldEvery === 0)
			await new Promise((resolve) => setImmediate(resolve));
	};
	const committed = new Map<string, { eventId: number; hash: string }>();
	let prev = { id: 0, hash: GENESIS_HASH };
	let events = 0;
	let anchorSeen = false;
	const fail = (problem: ChainProblem): ChainReport => ({ ok: false, events, problem });
	const rows = client
		.prepare('select * from audit_event order by id')
		.iterate() as IterableIterator<StoredEvent>;
	for (const row of rows) {
		events += 1;
		const place = `event ${row.id}`;
		if (!row.hash || !row.prev_hash)
			return fail({ place, eventId: row.id, message: `${place} has no hash: it is not chained` });
		if (row.prev_hash !== prev.hash) {
			const before = prev.id ? `event ${prev.id}` : 'the start of the chain';
			return fail({
				place,
				eventId: row.id,
				message:
					`${place}: its prev_hash ${short(row.prev_hash)} is not the hash of ${before} ` +
					`(${short(prev.hash)}): an event before it was removed, inserted or changed`
			});
		}
		const computed = eventHash(row);
		if (computed !== row.hash)
			return fail({
				place,
				eventId: row.id,
				message:
					`${place} (${row.action}): its fields no longer match its hash ` +
					`(stored ${short(row.hash)}, computed ${short(computed)}): it was changed after it was written`
			});
		for (const ref of recordRefs(row.detail)) {
			const key = `${ref.kind}:${ref.id}`;
			const earlier = committed.get(key);
			// A resealable kind (an exemption withdrawn) changes once more through the application:
			// the later event's commitment is the one the record must match.
			const reseal = kindSpec(ref.kind)?.resealable === true;
			if (earlier && earlier.hash !== ref.hash && !reseal)
				return fail({
					place,
					eventId: row.id,
					message: `${place} commits to ${ref.kind} ${ref.id} with another hash than event ${earlier.eventId} did`
				});
			if (!earlier || reseal) committed.set(key, { eventId: row.id, hash: ref.hash });
		}
		if (options.against && row.id === options.against.eventId) {
			anchorSeen = true;
			if (row.hash !== options.against.head)
				return fail({
					place,
					eventId: row.id,
					message:
						`${place}: the anchor${options.against.at ? ` of ${options.against.at}` : ''} says its hash was ` +
						`${short(options.against.head)}, the chain now has ${short(row.hash)}: the chain was rewritten`
				});
		}
		prev = { id: row.id, hash: row.hash };
		await pause(events);
	}
	if (options.against && (!anchorSeen || events < options.against.events))
		return fail({
			place: `event ${options.against.eventId}`,
			eventId: options.against.eventId,
			message:
				`the anchor names event ${options.against.eventId} of ${options.against.events}, but the chain ` +
				`now ends at event ${prev.id} with ${events} events: events were removed`
		});

	let records = 0;
	for (const kind of Object.keys(RECORD_KINDS)) {
		const spec = kindSpec(kind)!;
		const cols = [...spec.columns, 'record_hash'].map((c) => `"${c}"`).join(', ');
		const pending = spec.pending ? `, (${spec.pending}) as pending_record` : '';
		const seen = new Set<number>();
		const recordRows = client
			.prepare(`select ${cols}${pending} from "${spec.table}" order by id`)
			.iterate() as IterableIterator<Record<string, unknown>>;
		for (const row of recordRows) {
			records += 1;
			const id = row.id as number;
			seen.add(id);
			const place = `${kind} ${id}`;
			const stored = row.record_hash as string | null;
			// Not yet a record (attendance of a session still open): nothing committed to it yet.
			if (stored === null && row.pending_record === 1 && !committed.has(`${kind}:${id}`)) {
				records -= 1;
				continue;
			}
			const computed = recordHash(kind, row);
			if (stored !== computed)
				return fail({
					place,
					kind,
					recordId: id,
					message: `${place}: its fields no longer match its record_hash (stored ${short(stored)}, computed ${short(computed)}): it was changed`
				});
			const commitment = committed.get(`${kind}:${id}`);
			if (!commitment)
				return fail({
					place,
					kind,
					recordId: id,
					message: `${place}: no audit event commits to it: it was added outside the application`
				});
			if (commitment.hash !== computed)
				return fail({
					place,
					kind,
					recordId: id,
					eventId: commitment.eventId,
					message: `${place}: it differs from what audit event ${commitment.eventId} committed (${short(commitment.hash)}, now ${short(computed)}): the record was changed without its event`
				});
			await pause(records);
		}
		for (const [key, commitment] of committed) {
			const [k, rawId] = key.split(':');
			if (k === kind && !seen.has(Number(rawId)))
				return fail({
					place: `${kind} ${rawId}`,
					kind,
					recordId: Number(rawId),
					eventId: commitment.eventId,
					message: `${kind} ${rawId}: audit event ${commitment.eventId} committed to it, but it is gone`
				});
		}
	}
	return { ok: true, events, headId: prev.id, head: prev.hash, records };
}

/** The line `audit:verify` prints. */
export function describeReport(report: ChainReport): string {
	return report.ok
		? `chain intact: ${report.events} events, head ${report.head}`
		: `chain broken at ${report.problem.place}: ${report.problem.message}`;
}
