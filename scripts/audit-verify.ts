// Verifies the hash-chained audit trail and the court records it commits to.
//   npm run audit:verify                      (DATABASE_URL, default data/muster.db)
//   npm run audit:verify -- --against FILE    also proves the chain still holds a signed audit
//                                             head downloaded earlier from /admin
// Prints "chain intact: N events, head <hash>" and exits 0, or names the first broken link
// and exits 1 (2 for a usage error or an unreadable anchor).
import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readConfig } from '../src/lib/server/config';
import { describeReport, verifyChain } from '../src/lib/server/records/verify';
import { checkAnchorFile } from '../src/lib/server/records/anchor';

const { values } = parseArgs({ options: { against: { type: 'string' } } });
const config = readConfig(process.env);
if (!existsSync(config.databaseUrl)) {
	console.error(`No database at ${config.databaseUrl} (set DATABASE_URL).`);
	process.exit(2);
}
// Read-only: verifying never changes the file, even a tampered one.
const client = new Database(config.databaseUrl, { readonly: true, fileMustExist: true });
try {
	let against;
	if (values.against) {
		let anchor;
		try {
			anchor = await checkAnchorFile(
				JSON.parse(readFileSync(values.against, 'utf8')),
				config.keysDir
			);
		} catch (error) {
			console.error(`The anchor ${values.against} cannot be used: ${(error as Error).message}`);
			process.exit(2);
		}
		console.info(
			`anchor of ${anchor.at}: event ${anchor.eventId}, head ${anchor.head} (signature holds, key ${anchor.keyId})`
		);
		against = anchor;
	}
	const report = await verifyChain(client, { against });
	console.info(describeReport(report));
	if (report.ok && against) console.info(`the chain still contains the anchored head`);
	process.exitCode = report.ok ? 0 : 1;
} finally {
	client.close();
}
