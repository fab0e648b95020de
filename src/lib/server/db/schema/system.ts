import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * The append-only audit trail: who did what, from where, with what outcome, in UTC.
 * A migration adds triggers that refuse UPDATE and DELETE on this table, and every row is a
 * link of a hash chain (src/lib/server/records/chain.ts documents the bytes hashed).
 */
export const auditEvent = sqliteTable(
	'audit_event',
	{
		id: integer().primaryKey({ autoIncrement: true }),
		at: integer({ mode: 'timestamp_ms' }).notNull(),
		/** The signed-in user who acted, if any. */
		actorId: integer(),
		/** What the actor typed to identify themselves (sign-in attempts by unknown emails). */
		actorEmail: text(),
		action: text().notNull(),
		outcome: text({ enum: ['success', 'failure', 'denied'] }).notNull(),
		subjectType: text(),
		subjectId: text(),
		orgId: integer(),
		ip: text(),
		detail: text({ mode: 'json' }).$type<Record<string, unknown>>(),
		/** The `hash` of the event before this one (64 zeros for the first). */
		prevHash: text(),
		/** SHA-256 (hex) over this event's fields and `prevHash`; null only before the chain backfill. */
		hash: text()
	},
	(t) => [
		// Two events can never follow the same one: a fork of the chain is refused by SQLite.
		uniqueIndex('audit_event_prev_hash_once').on(t.prevHash),
		index('audit_event_at_idx').on(t.at),
		index('audit_event_actor_idx').on(t.actorId, t.at),
		index('audit_event_org_idx').on(t.orgId, t.at)
	]
);

/** Messages written when no SMTP server is configured: the instance admin reads them at /admin. */
export const outbox = sqliteTable('outbox', {
	id: integer().primaryKey({ autoIncrement: true }),
	createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
	to: text().notNull(),
	subject: text().notNull(),
	body: text().notNull()
});

/** Facts about this database itself (for example whether the demo was loaded). */
export const meta = sqliteTable('meta', {
	key: text().primaryKey(),
	value: text().notNull()
});

export type AuditEvent = typeof auditEvent.$inferSelect;
