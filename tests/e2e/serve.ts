// Starts the production build for the end-to-end tests on a database made fresh for the run:
// the demo, plus accounts that tests may lock, reset or disable without disturbing each other.
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { closeDatabase, openDatabase } from '../../src/lib/server/db';
import { buildCatalog } from '../../src/lib/server/courses/catalog';
import { readCourseFiles } from '../../src/lib/server/courses/read-files';
import { loadDemo } from '../../src/lib/server/demo';
import { createUser } from '../../src/lib/server/users';
import { E2E_ACCOUNTS, E2E_PASSWORD } from './accounts';

const path = process.env.DATABASE_URL!;
for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
// A new signing key for each run (the server creates it on start).
if (process.env.MUSTER_KEYS_DIR)
	rmSync(process.env.MUSTER_KEYS_DIR, { recursive: true, force: true });

const { db } = openDatabase(path);
await loadDemo(db, buildCatalog(readCourseFiles(process.cwd())));
for (const email of E2E_ACCOUNTS) {
	await createUser(db, { email, name: `E2E ${email.split('@')[0]}`, password: E2E_PASSWORD });
}
closeDatabase(db);

// A computed path keeps the type checker out of the generated build.
const server = resolve('build/index.js');
await import(pathToFileURL(server).href);
