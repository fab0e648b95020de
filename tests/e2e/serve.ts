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
import { eq } from 'drizzle-orm';
import { hashPassword } from '../../src/lib/server/auth/password';
import {
	groupMember,
	membership,
	orgGroup,
	organization,
	user
} from '../../src/lib/server/db/schema';
import { addMembership } from '../../src/lib/server/orgs/organizations';
import {
	CROWD,
	E2E_ACCOUNTS,
	E2E_PASSWORD,
	FUZZ_ORG,
	FUZZ_STAFF,
	ROLLCALL_OFFICERS
} from './accounts';

const path = process.env.DATABASE_URL!;
for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });

const { db } = openDatabase(path);
await loadDemo(db, buildCatalog(readCourseFiles(process.cwd())));
for (const email of E2E_ACCOUNTS) {
	await createUser(db, { email, name: `E2E ${email.split('@')[0]}`, password: E2E_PASSWORD });
}
{
	// The fuzz test's staff account: admin of an organization no other test uses.
	const userId = await createUser(db, {
		email: FUZZ_STAFF,
		name: 'E2E fuzz admin',
		password: E2E_PASSWORD
	});
	const now = new Date();
	const org = db
		.insert(organization)
		.values({
			name: 'Fuzz Test Unit',
			slug: FUZZ_ORG,
			kind: 'department',
			timeZone: 'UTC',
			createdAt: now
		})
		.returning({ id: organization.id })
		.get();
	db.insert(membership).values({ orgId: org.id, userId, role: 'admin', createdAt: now }).run();
}
// Riverside officers for the roll-call tests (in Patrol A shift), and a crowd of fifty.
const riverside = db
	.select({ id: organization.id })
	.from(organization)
	.where(eq(organization.slug, 'riverside-pd'))
	.get()!.id;
const patrolA = db
	.select({ id: orgGroup.id })
	.from(orgGroup)
	.where(eq(orgGroup.name, 'Patrol A shift'))
	.get()!.id;
const crowdHash = await hashPassword(E2E_PASSWORD);
db.transaction((tx) => {
	for (const email of ROLLCALL_OFFICERS) {
		const userId = tx.select({ id: user.id }).from(user).where(eq(user.email, email)).get()!.id;
		const membershipId = addMembership(tx, { orgId: riverside, userId, role: 'learner' });
		tx.insert(groupMember).values({ groupId: patrolA, membershipId }).run();
	}
	CROWD.forEach((email, i) => {
		const userId = tx
			.insert(user)
			.values({
				email,
				name: `Crowd Officer ${i + 1}`,
				passwordHash: crowdHash,
				emailVerifiedAt: new Date()
			})
			.returning({ id: user.id })
			.get().id;
		addMembership(tx, { orgId: riverside, userId, role: 'learner', employeeId: `C-${i + 1}` });
	});
});
closeDatabase(db);

// A computed path keeps the type checker out of the generated build.
const server = resolve('build/index.js');
await import(pathToFileURL(server).href);
