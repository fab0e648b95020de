import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../../src/lib/server/db';
import { recordAudit } from '../../src/lib/server/audit';
import { meta } from '../../src/lib/server/db/schema';
import { testDb } from '../fixtures/db';

const dir = mkdtempSync(join(tmpdir(), 'muster-db-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the database connection', () => {
	it('opens a file database with WAL, synchronous=FULL, foreign keys and a busy timeout', () => {
		const path = join(dir, 'nested', 'muster.db');
		const { db, created } = openDatabase(path, { migrations: 'drizzle' });
		expect(created).toBe(true);
		expect(db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
		expect(db.$client.pragma('synchronous', { simple: true })).toBe(2); // FULL
		expect(db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
		expect(db.$client.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
		closeDatabase(db);
		const again = openDatabase(path, { migrations: 'drizzle' });
		expect(again.created).toBe(false);
		closeDatabase(again.db);
	});

	it('keeps the audit trail append-only', () => {
		const db = testDb();
		recordAudit(db, { action: 'test.event', outcome: 'success' });
		expect(() => db.$client.prepare('update audit_event set outcome = ?').run('failure')).toThrow(
			/append-only/
		);
		expect(() => db.$client.prepare('delete from audit_event').run()).toThrow(/append-only/);
		expect(db.$client.prepare('select count(*) as n from audit_event').get()).toEqual({ n: 1 });
	});

	it('begins every transaction as a writer, so another process committing meanwhile cannot fail it', () => {
		// A deferred transaction that reads, then meets another connection's commit, cannot
		// become a writer: SQLITE_BUSY at once, whatever the busy timeout (a 500 in e2e runs).
		const path = join(dir, 'immediate.db');
		const server = openDatabase(path, { migrations: 'drizzle' }).db;
		const other = openDatabase(path, { migrations: 'drizzle' }).db;
		other.$client.pragma('busy_timeout = 0');
		let otherWrote = true;
		server.transaction((tx) => {
			tx.select().from(meta).all();
			try {
				other.insert(meta).values({ key: 'other', value: '1' }).run();
			} catch {
				otherWrote = false; // the server's transaction holds the write lock already
			}
			tx.insert(meta).values({ key: 'server', value: '1' }).run();
		});
		expect(otherWrote).toBe(false);
		expect(
			server
				.select()
				.from(meta)
				.all()
				.map((r) => r.key)
		).toContain('server');
		other.$client.close();
		closeDatabase(server);
	});
});
