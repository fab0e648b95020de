import type { Queryable } from '.';

const cache = new WeakMap<Queryable, Map<string, unknown>>();

/**
 * A query built and prepared once per connection handle, then run with placeholders.
 * Drizzle otherwise rebuilds the SQL and SQLite re-prepares it on every call: measured at
 * about a fifth of a signed-in page's server time (`npm run bench`). Keep this for the hot read
 * paths; a transaction handle gets its own statements, which die with it.
 */
export function prepared<T>(db: Queryable, key: string, build: (db: Queryable) => T): T {
	let statements = cache.get(db);
	if (!statements) cache.set(db, (statements = new Map()));
	let statement = statements.get(key) as T | undefined;
	if (statement === undefined) statements.set(key, (statement = build(db)));
	return statement;
}
