import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as schema from './schema';
import { sealExistingRecords } from '../records/seal';
import { registerSearchFunctions } from './search';

export { schema };
export type DB = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** Where the committed migrations live, whether we run from src/ or from the bundled build. */
function migrationsFolder(): string {
	const fromEnv = process.env.MUSTER_MIGRATIONS;
	if (fromEnv) return resolve(fromEnv);
	return resolve(process.cwd(), 'drizzle');
}

export interface OpenedDatabase {
	db: DB;
	/** True when this call created the schema from nothing (a brand-new database). */
	created: boolean;
}

/**
 * Opens (creating if needed) the SQLite database at `path` (':memory:' for tests), sets the
 * pragmas training records need, applies the committed migrations and chains records written
 * before the hash chain existed. This module reads no
 * environment of SvelteKit's so unit tests can open in-memory databases with it.
 */
export function openDatabase(path: string, options: { migrations?: string } = {}): OpenedDatabase {
	if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
	const client = new Database(path);
	client.pragma('journal_mode = WAL');
	// better-sqlite3 defaults WAL databases to NORMAL: a committed record could be lost on power failure.
	client.pragma('synchronous = FULL');
	// The server's own writes never wait for each other (one connection, one thread); a wait is
	// for another process (a roster batch or reminder run started by hand, admin:create). Waiting
	// up to 15 s for it answers a slow request instead of failing it with "database is locked".
	client.pragma('busy_timeout = 15000');
	// Reads: SQLite's default page cache is 2 MB, so a department's pages fall out of it and
	// every query pays system calls to read them again. 64 MB of cache, and reads through a
	// memory map of the file (writes and fsyncs are unchanged: SQLite writes through the file).
	client.pragma('cache_size = -65536');
	client.pragma('mmap_size = 268435456');
	// Temporary tables, sorts and the undo record of a savepoint in memory, not in temporary
	// files: a submission commits inside a savepoint of its group (db/group-commit.ts), where
	// each changed page would otherwise be copied to a file first (its inserts 5 to 7 times
	// slower).
	client.pragma('temp_store = MEMORY');
	registerSearchFunctions(client);
	const db = drizzle({ client, schema, casing: 'snake_case' }) as DB;
	const before = client
		.prepare("select count(*) as n from sqlite_master where type = 'table' and name = 'user'")
		.get() as { n: number };
	// Foreign keys are off while migrations run: a migration that rebuilds a table (drizzle-kit
	// does for a changed column) drops it, and SQLite ignores `PRAGMA foreign_keys` inside the
	// migrator's transaction, so the drop would fail on rows that other tables reference. The
	// check afterwards refuses a migration that left a dangling reference.
	client.pragma('foreign_keys = OFF');
	migrate(db, { migrationsFolder: options.migrations ?? migrationsFolder() });
	const dangling = client.pragma('foreign_key_check') as unknown[];
	if (dangling.length) {
		client.close();
		throw new Error(`The migrations left ${dangling.length} broken foreign-key references`);
	}
	client.pragma('foreign_keys = ON');
	// Every transaction takes the write lock as it begins (BEGIN IMMEDIATE). Transactions here
	// read, then write; under WAL a deferred one whose read came before another process's commit
	// cannot become a writer and fails at once with SQLITE_BUSY, which busy_timeout cannot help
	// (seen with a roster batch run by another process). BEGIN IMMEDIATE waits for the lock
	// instead; with one connection per process it costs the server nothing.
	const begin = db.transaction.bind(db);
	db.transaction = ((
		fn: Parameters<DB['transaction']>[0],
		config?: Parameters<DB['transaction']>[1]
	) => begin(fn, { behavior: 'immediate', ...config })) as DB['transaction'];
	// The hash chain's backfill (SQL cannot hash): once per database, then a single look-up.
	sealExistingRecords(db);
	return { db, created: before.n === 0 };
}

/**
 * Checkpoints the WAL into the main file and closes the connection: for the process that owns
 * the database, at its end. Another process on a live server's file closes with
 * `db.$client.close()` instead: this checkpoint waits for readers and holds writers back.
 */
export function closeDatabase(db: DB): void {
	const client = db.$client;
	if (!client.open) return;
	try {
		client.pragma('wal_checkpoint(TRUNCATE)');
	} finally {
		client.close();
	}
}

/** A transaction handle: services that must join a caller's transaction accept `Queryable`. */
export type Tx = Parameters<Parameters<DB['transaction']>[0]>[0];
export type Queryable = DB | Tx;
