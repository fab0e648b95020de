import { desc, eq, or } from 'drizzle-orm';
import { foldedContains } from './db/search';
import type { DB } from './db';
import { auditEvent, outbox, user } from './db/schema';

export interface OutboxItem {
	id: number;
	createdAt: Date;
	to: string;
	subject: string;
	body: string;
}

export function listOutbox(db: DB, limit = 20): OutboxItem[] {
	return db.select().from(outbox).orderBy(desc(outbox.id)).limit(limit).all();
}

export interface AuditRow {
	id: number;
	at: Date;
	action: string;
	outcome: string;
	actor: string | null;
	ip: string | null;
	subject: string | null;
	detail: Record<string, unknown> | null;
}

/** The newest audit events: the whole instance's, or one organization's. */
export function listAuditTrail(db: DB, limit = 50, orgId?: number): AuditRow[] {
	return db
		.select({
			id: auditEvent.id,
			at: auditEvent.at,
			action: auditEvent.action,
			outcome: auditEvent.outcome,
			actorEmail: auditEvent.actorEmail,
			userEmail: user.email,
			ip: auditEvent.ip,
			subjectType: auditEvent.subjectType,
			subjectId: auditEvent.subjectId,
			detail: auditEvent.detail
		})
		.from(auditEvent)
		.leftJoin(user, eq(user.id, auditEvent.actorId))
		.where(orgId === undefined ? undefined : eq(auditEvent.orgId, orgId))
		.orderBy(desc(auditEvent.id))
		.limit(limit)
		.all()
		.map((r) => ({
			id: r.id,
			at: r.at,
			action: r.action,
			outcome: r.outcome,
			actor: r.userEmail ?? r.actorEmail,
			ip: r.ip,
			subject: r.subjectType ? `${r.subjectType} ${r.subjectId}` : null,
			detail: r.detail
		}));
}

export interface UserListItem {
	id: number;
	email: string;
	name: string;
	isInstanceAdmin: boolean;
	disabled: boolean;
}

export function searchUsers(db: DB, query: string, limit = 25): UserListItem[] {
	return db
		.select({
			id: user.id,
			email: user.email,
			name: user.name,
			isInstanceAdmin: user.isInstanceAdmin,
			disabledAt: user.disabledAt
		})
		.from(user)
		.where(
			query.trim()
				? or(foldedContains(user.email, query), foldedContains(user.name, query))
				: undefined
		)
		.orderBy(user.email)
		.limit(limit)
		.all()
		.map(({ disabledAt, ...u }) => ({ ...u, disabled: disabledAt !== null }));
}

export function findUserById(db: DB, id: number) {
	const u = db
		.select({
			id: user.id,
			email: user.email,
			name: user.name,
			isInstanceAdmin: user.isInstanceAdmin,
			disabledAt: user.disabledAt,
			createdAt: user.createdAt
		})
		.from(user)
		.where(eq(user.id, id))
		.get();
	if (!u) return undefined;
	const { disabledAt, ...rest } = u;
	return { ...rest, disabled: disabledAt !== null };
}
