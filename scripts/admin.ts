// Creates an instance administrator, or resets an existing account to one.
//   npm run admin:create -- --email you@example.org [--name "Your Name"] [--password "..."]
// Without --password (or MUSTER_ADMIN_PASSWORD) a strong random password is generated and printed.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { checkPasswordPolicy } from '../src/lib/server/auth/password';
import { readConfig } from '../src/lib/server/config';
import { openDatabase } from '../src/lib/server/db';
import { upsertInstanceAdmin } from '../src/lib/server/users';

const { values } = parseArgs({
	options: { email: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' } }
});
const email = values.email?.trim();
if (!email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
	console.error(
		'Usage: npm run admin:create -- --email you@example.org [--name "Your Name"] [--password "..."]'
	);
	process.exit(2);
}
const generated = !values.password && !process.env.MUSTER_ADMIN_PASSWORD;
const password =
	values.password ?? process.env.MUSTER_ADMIN_PASSWORD ?? randomBytes(15).toString('base64url');
const weak = checkPasswordPolicy(password, [email, values.name ?? '']);
if (weak) {
	console.error(weak);
	process.exit(2);
}

const config = readConfig(process.env);
const { db } = openDatabase(config.databaseUrl);
try {
	const result = await upsertInstanceAdmin(db, { email, name: values.name, password });
	console.info(
		`${result.created ? 'Created' : 'Reset'} instance administrator ${email} in ${config.databaseUrl}.`
	);
	if (generated) console.info(`Password: ${password}\nSign in and change it at /me/account.`);
} finally {
	// A plain close: the server may be running on this file, and closeDatabase's checkpoint
	// would hold its writers back. (If this is the last connection, SQLite checkpoints anyway.)
	db.$client.close();
}
