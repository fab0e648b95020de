// `npm run backup`: an online backup of the database at DATABASE_URL into BACKUP_DIR, safe
// while the server runs and takes writes; keeps the newest BACKUP_KEEP backups.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { ALL_PAGES, backupDatabase } from '../src/lib/server/backup';
import { readConfig } from '../src/lib/server/config';

const config = readConfig(process.env);
if (!existsSync(config.databaseUrl)) {
	console.error(`No database at ${config.databaseUrl} (set DATABASE_URL).`);
	process.exit(1);
}
const source = new Database(config.databaseUrl, { fileMustExist: true });
source.pragma('busy_timeout = 5000');
try {
	// This is a second connection beside the server's: the server's writes between steps would
	// restart a page-by-page copy, so it copies in one step from one read snapshot.
	const result = await backupDatabase(source, {
		dir: config.backup.dir,
		keep: config.backup.keep,
		pagesPerStep: ALL_PAGES
	});
	console.info(
		`Backup written: ${result.file} (${(result.bytes / 1024).toFixed(0)} KiB, ` +
			`${result.pages} pages, ${result.ms} ms, integrity ok)`
	);
	console.info(
		`Audit chain head in the copy: event ${result.head.eventId}, ${result.head.head} (beside it in .audit-head.json)`
	);
	for (const file of result.pruned) console.info(`Removed old backup: ${file}`);
} catch (error) {
	console.error('Backup failed:', error instanceof Error ? error.message : error);
	process.exitCode = 1;
} finally {
	source.close();
}
