// Sends the reminders of required training that are due now, once, and exits.
//   npm run reminders
// The server runs the same job on its schedule (REMINDERS_CRON); running both at once is safe:
// each reminder is claimed in the database before it is sent, so none goes out twice.
import { readConfig } from '../src/lib/server/config';
import { buildCatalog } from '../src/lib/server/courses/catalog';
import { readCourseFiles } from '../src/lib/server/courses/read-files';
import { openDatabase } from '../src/lib/server/db';
import { createMailer } from '../src/lib/server/mail';
import { runReminders } from '../src/lib/server/training/reminders';
import { requirementTitles } from '../src/lib/server/training/describe';

const config = readConfig(process.env);
const catalog = buildCatalog(readCourseFiles(process.cwd()));
const { db } = openDatabase(config.databaseUrl);
try {
	const result = await runReminders(db, createMailer(db, config), {
		origin: config.origin ?? 'http://localhost:3000',
		instanceName: config.instanceName,
		titles: requirementTitles(catalog)
	});
	console.info(
		`Reminders: ${result.claimed} claimed, ${result.sent} sent, ${result.failed} failed (retried on the next run).`
	);
	if (result.failed) process.exitCode = 1;
} finally {
	// A plain close: the server may be running on this file (see scripts/admin.ts).
	db.$client.close();
}
