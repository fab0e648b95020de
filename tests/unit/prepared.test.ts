import { readFileSync } from 'node:fs';
import { sql, eq, asc } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { literalLimit, prepared } from '../../src/lib/server/db/prepared';
import { meta } from '../../src/lib/server/db/schema';
import type { Queryable } from '../../src/lib/server/db';
import { testDb } from '../fixtures/db';
import { filesUnder } from '../fixtures/sources';

// The submit transaction runs statements prepared once per connection: one built inside a
// transaction must run inside later transactions (and roll back with them) and outside any.
const insertMeta = (db: Queryable, key: string, value: string) =>
	prepared(db, 'test.insertMeta', (db) =>
		db
			.insert(meta)
			.values({ key: sql.placeholder('key'), value: sql.placeholder('value') })
			.prepare()
	).run({ key, value });
const readMeta = (db: Queryable, key: string) =>
	prepared(db, 'test.readMeta', (db) =>
		db
			.select({ value: meta.value })
			.from(meta)
			.where(eq(meta.key, sql.placeholder('key')))
			.prepare()
	).get({ key })?.value;

describe('statements prepared once per connection', () => {
	it('are built once, and a transaction runs them on its own connection', () => {
		const db = testDb();
		let builds = 0;
		const build = (db: Queryable) => (builds++, db.select().from(meta).prepare());
		db.transaction((tx) => prepared(tx, 'test.count', build));
		db.transaction((tx) => prepared(tx, 'test.count', build));
		prepared(db, 'test.count', build);
		expect(builds).toBe(1);

		db.transaction((tx) => insertMeta(tx, 'a', '1')); // prepared inside a transaction
		expect(readMeta(db, 'a')).toBe('1'); // committed, read outside
		expect(() =>
			db.transaction((tx) => {
				insertMeta(tx, 'b', '2');
				expect(readMeta(tx, 'b')).toBe('2'); // the transaction sees its own write
				throw new Error('roll back');
			})
		).toThrow('roll back');
		expect(readMeta(db, 'b')).toBeUndefined(); // and its rollback took the write with it
		insertMeta(db, 'c', '3');
		expect(readMeta(db, 'c')).toBe('3');
	});

	it('are not shared between connections', () => {
		const one = testDb();
		const two = testDb();
		insertMeta(one, 'x', 'one');
		expect(readMeta(two, 'x')).toBeUndefined();
		insertMeta(two, 'x', 'two');
		expect(readMeta(one, 'x')).toBe('one');
		expect(readMeta(two, 'x')).toBe('two');
	});
});

describe('limits in prepared statements', () => {
	it('are written into the SQL text, not bound, and still limit the rows', () => {
		const db = testDb();
		for (const key of ['a', 'b', 'c']) insertMeta(db, `limit.${key}`, key);
		const query = db
			.select({ key: meta.key })
			.from(meta)
			.where(sql`${meta.key} like 'limit.%'`)
			.orderBy(asc(meta.key))
			.limit(literalLimit(2));
		const built = query.toSQL();
		expect(built.sql).toMatch(/ limit 2$/);
		expect(built.params).toEqual([]);
		expect(
			query
				.prepare()
				.all()
				.map((r) => r.key)
		).toEqual(['limit.a', 'limit.b']);
		expect(() => literalLimit(1.5)).toThrow('whole number');
		expect(() => literalLimit(-1)).toThrow('whole number');
	});

	it('are literal in every statement given to prepared() (a bound LIMIT is several times slower)', () => {
		const offenders: string[] = [];
		for (const file of filesUnder('src/lib/server', '.ts')) {
			const text = readFileSync(file, 'utf8');
			for (let at = text.indexOf('prepared('); at >= 0; at = text.indexOf('prepared(', at + 1)) {
				const end = text.indexOf('.prepare()', at);
				if (end < 0) continue;
				const statement = text.slice(at, end);
				const limits = statement.match(/\.limit\((?!literalLimit\()/g);
				if (limits) offenders.push(`${file.slice(process.cwd().length + 1)} at ${at}`);
			}
		}
		expect(offenders).toEqual([]);
	});
});
