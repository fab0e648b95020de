import type { Config } from './config';
import { closeDatabase, openDatabase, type DB } from './db';
import { createMailer, type Mailer } from './mail';
import { catalog } from './courses';
import { hasDemo, loadDemo } from './demo';
import { flushTouches } from './auth/session';
import { expireUnverifiedAccounts } from './auth/verify-email';

/** Everything a request needs from the server: built once at start-up. */
export interface AppContext {
	db: DB;
	config: Config;
	mailer: Mailer;
	close(): void;
}

/**
 * Opens the database, applies migrations and, on a brand-new database only, loads the demo
 * (unless MUSTER_DEMO=0). An existing database is never touched beyond its migrations.
 */
export async function createContext(
	config: Config,
	opts: { quiet?: boolean } = {}
): Promise<AppContext> {
	const { db, created } = openDatabase(config.databaseUrl);
	if (created && config.demo) await loadDemo(db, catalog);
	if (!opts.quiet) {
		console.info(`Muster database: ${config.databaseUrl}${created ? ' (new)' : ''}`);
		if (hasDemo(db)) console.info(demoBanner());
	}
	// Unverified accounts past their 7 days are expired at start-up and hourly (also on look-up).
	const sweep = () => {
		try {
			expireUnverifiedAccounts(db);
		} catch (e) {
			console.error('Expiring unverified accounts failed', e);
		}
	};
	sweep();
	const sweeper = setInterval(sweep, 3_600_000);
	sweeper.unref();
	const close = () => {
		clearInterval(sweeper);
		flushTouches(db);
		closeDatabase(db);
	};
	return { db, config, mailer: createMailer(db, config), close };
}

function demoBanner(): string {
	return [
		'Demo sign-ins (password muster-demo-2026):',
		'  admin@muster.test               instance administrator',
		'  admin@riverside.muster.test     admin, Riverside Police Department',
		'  sergeant@riverside.muster.test  supervisor, Riverside Police Department',
		'  officer@riverside.muster.test   officer, Riverside Police Department',
		'  chief@campus.muster.test        admin, Northfield University Public Safety',
		'  coordinator@harbor.muster.test  admin, Harbor Light Outreach',
		'  volunteer@harbor.muster.test    volunteer, Harbor Light Outreach'
	].join('\n');
}
