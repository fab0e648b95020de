import type { Queryable } from './db';
import { auditEvent } from './db/schema';

export interface AuditEntry {
	action: string;
	outcome: 'success' | 'failure' | 'denied';
	actorId?: number | null;
	actorEmail?: string | null;
	subjectType?: string;
	subjectId?: string | number;
	orgId?: number | null;
	ip?: string | null;
	detail?: Record<string, unknown>;
	at?: Date;
}

/** Appends one row to the audit trail. Call it inside the transaction that made the change. */
export function recordAudit(db: Queryable, entry: AuditEntry): void {
	db.insert(auditEvent)
		.values({
			at: entry.at ?? new Date(),
			action: entry.action,
			outcome: entry.outcome,
			actorId: entry.actorId ?? null,
			actorEmail: entry.actorEmail ?? null,
			subjectType: entry.subjectType ?? null,
			subjectId: entry.subjectId === undefined ? null : String(entry.subjectId),
			orgId: entry.orgId ?? null,
			ip: entry.ip ?? null,
			detail: entry.detail ?? null
		})
		.run();
}
