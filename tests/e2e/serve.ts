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
	recoveryCode,
	totpFactor,
	user
} from '../../src/lib/server/db/schema';
import { findUserByEmail } from '../../src/lib/server/users';
import { hashRecoveryCode } from '../../src/lib/server/mfa/recovery';
import { addMembership } from '../../src/lib/server/orgs/organizations';
import {
	CROWD,
	E2E_ACCOUNTS,
	E2E_PASSWORD,
	FUZZ_ORG,
	FUZZ_STAFF,
	ROLLCALL_OFFICERS,
	ADMIN_RECOVERY_CODES,
	ADMIN_TOTP_SECRET,
	adminRecoveryCode,
	e2eAccount,
	mfaOrg
} from './accounts';

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

// Instance administrators must use a second factor: the demo admin has an app and codes.
const admin = findUserByEmail(db, 'admin@muster.test')!;
const seeded = new Date();
db.insert(totpFactor)
	.values({ userId: admin.id, secret: ADMIN_TOTP_SECRET, createdAt: seeded, confirmedAt: seeded })
	.run();
db.insert(recoveryCode)
	.values(
		Array.from({ length: ADMIN_RECOVERY_CODES }, (_, i) => ({
			userId: admin.id,
			codeHash: hashRecoveryCode(adminRecoveryCode(i)),
			createdAt: seeded
		}))
	)
	.run();

// Each project's MFA organization: an admin, and supervisors who enrol or are made to.
for (const project of ['chromium', 'no-js']) {
	const orgId = db
		.insert(organization)
		.values({
			slug: mfaOrg(project),
			name: `MFA Unit (${project})`,
			kind: 'department',
			timeZone: 'UTC',
			createdAt: seeded
		})
		.returning({ id: organization.id })
		.get().id;
	const roles = {
		'mfa-orgadmin': 'admin',
		'mfa-passkey': 'supervisor',
		'mfa-totp': 'supervisor',
		'mfa-enrol': 'supervisor'
	} as const;
	for (const [role, orgRole] of Object.entries(roles)) {
		const u = findUserByEmail(db, e2eAccount(role, project))!;
		addMembership(db, { orgId, userId: u.id, role: orgRole, now: seeded });
	}
}
closeDatabase(db);

// The production server, as `npm start` runs it (a computed path: the type checker stays out).
await import(pathToFileURL(resolve('scripts/server.js')).href);
