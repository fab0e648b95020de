import { createHash } from 'node:crypto';

/**
 * The bytes behind Muster's tamper-evident records, written down so that a tool outside
 * Muster (a few lines of Python, say) can recompute every hash from the database file alone.
 *
 * AUDIT EVENTS (table `audit_event`). Each row's `hash` is
 *
 *   lowercase hex SHA-256 of the UTF-8 bytes of the JSON array
 *   ["muster-audit-v1", id, at, actor_id, actor_email, action, outcome, subject_type,
 *    subject_id, org_id, ip, detail, prev_hash]
 *
 * written with no whitespace (JavaScript's JSON.stringify; Python's
 * `json.dumps(a, ensure_ascii=False, separators=(",", ":"))` writes the same bytes for these
 * values). Every value is the column exactly as stored: integers as JSON numbers (`at` is
 * milliseconds since 1970 UTC), text as JSON strings, NULL as null; `detail` is the stored JSON
 * text itself, as one string (it is never re-parsed). `prev_hash` is the `hash` of the event
 * with the next lower id, or 64 zeros ("0" x 64) for the first event. Events are appended with
 * id = previous id + 1 while the writer holds SQLite's write lock, so the chain follows commit
 * order; a unique index on prev_hash refuses a fork.
 *
 * COURT RECORDS (completion, certificate, certificate_revocation, ... see RECORD_KINDS). Each
 * row's `record_hash` is
 *
 *   lowercase hex SHA-256 of the UTF-8 bytes of the JSON array
 *   ["muster-record-v1", kind, [[column, value], ...]]
 *
 * with the columns RECORD_KINDS lists for that kind, sorted by name (code-unit order), values
 * as stored (REAL values as JavaScript prints numbers: 1.5, 2). The audit event that wrote the
 * row commits to it: its `detail` holds `"records": [{"kind": ..., "id": ..., "hash": ...}]`
 * (see `RecordRef`). Changing a record without its event, or an event without the chain,
 * breaks `npm run audit:verify`. A kind marked `resealable` may change once more through the
 * application (an exemption withdrawn): the event that changes it commits to the new hash, and
 * the record must match the latest event that committed to it. A kind with `pending` has rows
 * that are not yet records (attendance of a roll-call session still open): rows matching that
 * SQL condition carry no hash until the event that makes them records (the close) seals them.
 */

export const GENESIS_HASH = '0'.repeat(64);
export const AUDIT_HASH_VERSION = 'muster-audit-v1';
export const RECORD_HASH_VERSION = 'muster-record-v1';

/** A value as SQLite stores it (what better-sqlite3 returns for a column). */
export type SqlValue = string | number | bigint | null;

/** An audit_event row as stored, with snake_case column names. */
export interface StoredEvent {
	id: number;
	at: number;
	actor_id: number | null;
	actor_email: string | null;
	action: string;
	outcome: string;
	subject_type: string | null;
	subject_id: string | null;
	org_id: number | null;
	ip: string | null;
	detail: string | null;
	prev_hash: string | null;
	hash?: string | null;
}

export function sha256Hex(text: string): string {
	return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The exact bytes (as a string; hashed as UTF-8) an event's hash covers. */
export function eventPreimage(e: StoredEvent): string {
	return JSON.stringify([
		AUDIT_HASH_VERSION,
		e.id,
		e.at,
		e.actor_id,
		e.actor_email,
		e.action,
		e.outcome,
		e.subject_type,
		e.subject_id,
		e.org_id,
		e.ip,
		e.detail,
		e.prev_hash
	]);
}

export function eventHash(e: StoredEvent): string {
	return sha256Hex(eventPreimage(e));
}

/**
 * The court records that carry a `record_hash`, with the columns it covers. Another table
 * joins by adding a `recordHash: text()` column, an entry here, and `sealRecord(tx, kind, id)`
 * in the transaction that writes the row, putting the returned reference into its audit
 * event's `detail.records`. Never change the columns of an existing kind: add a new kind name.
 */
export const RECORD_KINDS = {
	completion: {
		table: 'completion',
		columns: [
			'id',
			'user_id',
			'course_slug',
			'content_version',
			'attempt_id',
			'score',
			'method',
			'completed_at'
		]
	},
	certificate: {
		table: 'certificate',
		columns: [
			'id',
			'code',
			'completion_id',
			'user_id',
			'course_slug',
			'course_title',
			'content_version',
			'holder_name',
			'issuer',
			'credit_hours',
			'completed_at',
			'issued_at',
			'expires_at'
		]
	},
	certificate_revocation: {
		table: 'certificate_revocation',
		columns: ['id', 'certificate_id', 'reason', 'note', 'revoked_by', 'revoked_at']
	},
	/** Who was at a roll-call session (and who was removed): sealed when the session closes. */
	attendance: {
		table: 'rollcall_attendance',
		columns: [
			'id',
			'session_id',
			'membership_id',
			'user_id',
			'added_by',
			'joined_at',
			'removed_at',
			'removed_by'
		],
		pending: 'session_id in (select id from rollcall_session where closed_at is null)'
	},
	/** What closing a roll-call session recorded for one attendee (credit minutes). */
	rollcall_credit: {
		table: 'rollcall_credit',
		columns: [
			'id',
			'session_id',
			'attendance_id',
			'user_id',
			'credit_minutes',
			'module_recorded',
			'completion_id',
			'recorded_at'
		]
	},
	/** A person excused from a requirement; resealed when a supervisor withdraws it. */
	exemption: {
		table: 'exemption',
		columns: [
			'id',
			'org_id',
			'series_id',
			'user_id',
			'reason',
			'note',
			'ends_on',
			'created_by',
			'created_at',
			'withdrawn_at',
			'withdrawn_by'
		],
		resealable: true
	}
} satisfies Record<string, RecordKindSpec>;

export interface RecordKindSpec {
	table: string;
	columns: string[];
	/** The application may change the row once sealed; the latest commitment holds. */
	resealable?: boolean;
	/** SQL condition on the row: not yet a record, so not yet sealed (see above). */
	pending?: string;
}

/** The spec of a kind, with the optional fields typed. */
export function kindSpec(kind: string): RecordKindSpec | undefined {
	return (RECORD_KINDS as Record<string, RecordKindSpec>)[kind];
}

export type RecordKind = keyof typeof RECORD_KINDS;

/** What an audit event's `detail.records` holds for each record it wrote. */
export interface RecordRef {
	kind: string;
	id: number;
	hash: string;
}

function normalize(value: unknown): SqlValue {
	if (value === undefined || value === null) return null;
	if (value instanceof Date) return value.getTime();
	if (typeof value === 'boolean') return value ? 1 : 0;
	if (typeof value === 'bigint') return Number(value);
	if (typeof value === 'number' || typeof value === 'string') return value;
	throw new Error(`A record field must be a plain value, got ${typeof value}`);
}

/**
 * A record's hash from its fields keyed by column name (snake_case, as stored). Dates count as
 * milliseconds and booleans as 1/0, as SQLite stores them; a column the kind lists but
 * `fields` lacks is an error, and fields the kind does not list are ignored.
 */
export function recordHash(kind: string, fields: Record<string, unknown>): string {
	const spec = (RECORD_KINDS as Record<string, { columns: string[] }>)[kind];
	if (!spec) throw new Error(`Unknown record kind "${kind}"`);
	const pairs = [...spec.columns].sort().map((column) => {
		if (!(column in fields)) throw new Error(`Record ${kind} lacks the field ${column}`);
		return [column, normalize(fields[column])];
	});
	return sha256Hex(JSON.stringify([RECORD_HASH_VERSION, kind, pairs]));
}

/** The record references an event's stored detail commits to (empty when none or malformed). */
export function recordRefs(detail: string | null): RecordRef[] {
	if (!detail) return [];
	try {
		const parsed = JSON.parse(detail) as { records?: unknown };
		if (!Array.isArray(parsed?.records)) return [];
		return parsed.records.filter(
			(r): r is RecordRef =>
				typeof r === 'object' &&
				r !== null &&
				typeof r.kind === 'string' &&
				typeof r.id === 'number' &&
				typeof r.hash === 'string'
		);
	} catch {
		return [];
	}
}
