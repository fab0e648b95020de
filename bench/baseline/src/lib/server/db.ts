import Database from 'better-sqlite3';
import { env } from '$env/dynamic/private';

let insert: Database.Statement | undefined;

/** Opened on the first post (never during the build), set up the way Muster sets up its own. */
function statement(): Database.Statement {
	if (insert) return insert;
	const db = new Database(env.BASELINE_DATABASE_URL || 'baseline.db');
	db.pragma('journal_mode = WAL');
	// As Muster: better-sqlite3 would otherwise leave WAL databases at NORMAL.
	db.pragma('synchronous = FULL');
	db.exec('create table if not exists row (id integer primary key, at integer not null)');
	insert = db.prepare('insert into row (at) values (?)');
	return insert;
}

export function insertRow(): void {
	statement().run(Date.now());
}
