import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../../src/lib/server/db';
import { recordAudit } from '../../src/lib/server/audit';
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
});
