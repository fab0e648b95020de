import type Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { clientOf } from '../audit';
import type { Queryable } from '.';

const cache = new WeakMap<Database.Database, Map<string, unknown>>();

/**
 * A query built and prepared once per connection, then run with placeholders. Drizzle
 * otherwise rebuilds the SQL and SQLite re-prepares it on every call: measured at about a fifth
 * of a signed-in page's server time, and two fifths of a submission's transaction
 * (`npm run bench`).
 *
 * Cached by the better-sqlite3 connection, not by the handle: a transaction handle
 * (`db.transaction((tx) => …)`) shares the database handle's session and connection, so a
 * statement built from either runs on that one connection, inside whatever transaction is open
 * on it (better-sqlite3 is synchronous: nothing else runs on the connection meanwhile). A
 * statement built from a transaction handle therefore stays valid after the transaction ends.
 *
 * Build with `sql.placeholder` for every value that varies: anything else is frozen into the
 * statement. A placeholder in a `where` is not converted by its column (pass a Date as
 * `getTime()`); one in `values` or `set` is.
 */
export function prepared<T>(db: Queryable, key: string, build: (db: Queryable) => T): T {
	const client = clientOf(db);
	let statements = cache.get(client);
	if (!statements) cache.set(client, (statements = new Map()));
	let statement = statements.get(key) as T | undefined;
	if (statement === undefined) statements.set(key, (statement = build(db)));
	return statement;
}

/**
 * A LIMIT written into a prepared statement's SQL text: `.limit(literalLimit(50))`. Drizzle
 * binds `.limit(n)` (and a placeholder) as a parameter, and SQLite runs a statement whose LIMIT
 * is a bound parameter several times slower: measured here 3.5 times on the open-invitations
 * query of every home page (4 against 15 µs alone, 64 µs within a request) and 5 times on a
 * join that sorts (6 against 30 µs). Statements given to prepared() take their limits this way
 * (tests/unit/prepared.test.ts checks the source); a statement built per call may use either.
 */
export function literalLimit(n: number): number {
	if (!Number.isSafeInteger(n) || n < 0) throw new Error(`A limit must be a whole number: ${n}`);
	// Drizzle's SQLite dialect writes an SQL chunk given as the limit into the text as it is.
	return sql.raw(String(n)) as unknown as number;
}
