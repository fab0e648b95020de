// Security review H1 and H2, reproduced on the demo data as the review did, and the consent and
// verification rules that close them. Each of these failed on the code before the fix.
import { beforeAll, describe, expect, it } from 'vitest';
import { changeName, personName } from '../../src/lib/server/account/name';
import { leaveOrganization, listMyMemberships } from '../../src/lib/server/account/memberships';
import { signIn } from '../../src/lib/server/auth/sign-in';
import { validateSessionToken } from '../../src/lib/server/auth/session';
import {
	confirmEmail,
	expireUnverifiedAccounts,
	inspectEmailVerification,
	issueEmailVerification
} from '../../src/lib/server/auth/verify-email';
import { completePasswordReset } from '../../src/lib/server/auth/reset';
import { canDownload } from '../../src/lib/server/certificates/access';
import { listCertificates } from '../../src/lib/server/certificates/status';
import { buildCatalog, type Catalog } from '../../src/lib/server/courses/catalog';
import { readCourseFiles } from '../../src/lib/server/courses/read-files';
import type { DB } from '../../src/lib/server/db';
import { loadDemo } from '../../src/lib/server/demo';
import { recordCompletion } from '../../src/lib/server/learning/completion';
import { orgAccess } from '../../src/lib/server/orgs/access';
import {
	createInvite,
	listInvitationsFor,
	respondToInvitation
} from '../../src/lib/server/orgs/invites';
import { joinWithNewAccount } from '../../src/lib/server/orgs/join';
import { findMember, listMembers, updateMember } from '../../src/lib/server/orgs/members';
import { supervises } from '../../src/lib/server/orgs/records';
import { runImport, savePreview } from '../../src/lib/server/orgs/roster';
import { parseRoster } from '../../src/lib/server/orgs/roster-csv';
import { findUserByEmail } from '../../src/lib/server/users';
import { testConfig, testDb } from '../fixtures/db';

let catalog: Catalog;
beforeAll(() => {
	catalog = buildCatalog(readCourseFiles(process.cwd()));
});

const one = <T>(db: DB, sql: string, ...p: unknown[]) => db.$client.prepare(sql).get(...p) as T;
const idOf = (db: DB, email: string) =>
	one<{ id: number; email: string }>(db, 'select id, email from user where email = ?', email);
const orgId = (db: DB, slug: string) =>
	one<{ id: number }>(db, 'select id from organization where slug = ?', slug).id;
const memberships = (db: DB, userId: number, slug: string) =>
	one<{ n: number }>(
		db,
		'select count(*) as n from membership where user_id = ? and org_id = ?',
		userId,
		orgId(db, slug)
	).n;
const viewer = (db: DB, email: string) => {
	const u = one<{ id: number; email: string; verified: number | null }>(
		db,
		'select id, email, email_verified_at as verified from user where email = ?',
		email
	);
	return { id: u.id, email: u.email, emailVerified: u.verified !== null, isInstanceAdmin: false };
};

/** Imports a CSV into an organization as its admin, the way the import pages do. */
function importCsv(db: DB, slug: string, adminEmail: string, csv: string) {
	const parsed = parseRoster(csv, []);
	if (!parsed.ok) throw new Error(parsed.message);
	const admin = idOf(db, adminEmail).id;
	const id = savePreview(db, orgId(db, slug), 'x.csv', parsed.rows, admin);
	const result = runImport(db, orgId(db, slug), id, { actorId: admin });
	if (!result.ok) throw new Error(result.reason);
	return result;
}

async function demo() {
	const db = testDb();
	await loadDemo(db, catalog);
	return db;
}

describe('H1: a roster import never makes an existing account a member', () => {
	it('invites the Riverside officer the Harbor admin imported as admin; Harbor sees nothing of theirs', async () => {
		const db = await demo();
		const officer = idOf(db, 'officer@riverside.muster.test');
		const coordinator = idOf(db, 'coordinator@harbor.muster.test');
		// The officer's roll-call completion and certificate, as in the review.
		db.transaction((tx) =>
			recordCompletion(tx, {
				userId: officer.id,
				course: catalog.bySlug.get('roll-call')!,
				attemptId: null,
				score: 90,
				method: 'self-paced',
				issuer: 'Riverside Police Department',
				now: new Date()
			})
		);
		const cert = listCertificates(db, officer.id)[0]!;

		const result = importCsv(
			db,
			'harbor-light',
			'coordinator@harbor.muster.test',
			'name,email,role\nX,officer@riverside.muster.test,admin'
		);
		// One count for everyone: the summary does not tell the admin the email has an account.
		expect(result.result).toEqual({ invited: 1, alreadyMembers: 0, alreadyInvited: 0, skipped: 0 });
		expect(result.invites.map((i) => i.email)).toEqual(['officer@riverside.muster.test']);
		expect(memberships(db, officer.id, 'harbor-light')).toBe(0);
		expect(orgAccess(db, { id: officer.id, isInstanceAdmin: false }, 'harbor-light')).toBeNull();
		expect(listMembers(db, orgId(db, 'harbor-light'), { q: 'officer@riverside' }).total).toBe(0);
		expect(supervises(db, coordinator.id, officer.id)).toBe(false);
		expect(canDownload(db, { id: coordinator.id, isInstanceAdmin: false }, cert)).toBe(false);

		// Nobody else can answer it by its id (the home page's forms carry only the id).
		const [forOfficer] = listInvitationsFor(db, viewer(db, officer.email));
		expect(
			respondToInvitation(db, forOfficer!.id, viewer(db, 'sergeant@riverside.muster.test'), true)
		).toEqual({ ok: false, reason: 'invalid' });
		expect(memberships(db, idOf(db, 'sergeant@riverside.muster.test').id, 'harbor-light')).toBe(0);

		// The officer sees the invitation on their home page and declines it: still nothing.
		const invitations = listInvitationsFor(db, viewer(db, officer.email));
		expect(invitations).toMatchObject([{ orgName: 'Harbor Light Outreach', role: 'admin' }]);
		expect(
			respondToInvitation(db, invitations[0]!.id, viewer(db, officer.email), false)
		).toMatchObject({ ok: true, accepted: false });
		expect(listInvitationsFor(db, viewer(db, officer.email))).toEqual([]);
		expect(memberships(db, officer.id, 'harbor-light')).toBe(0);
		expect(canDownload(db, { id: coordinator.id, isInstanceAdmin: false }, cert)).toBe(false);
	});

	it('makes the person a member only when they accept, and their leaving ends the organization’s view', async () => {
		const db = await demo();
		const volunteer = idOf(db, 'volunteer@harbor.muster.test');
		const sergeant = idOf(db, 'sergeant@riverside.muster.test');
		db.transaction((tx) =>
			recordCompletion(tx, {
				userId: volunteer.id,
				course: catalog.bySlug.get('volunteer-onboarding')!,
				attemptId: null,
				score: 90,
				method: 'self-paced',
				issuer: 'Harbor Light Outreach',
				now: new Date()
			})
		);
		const cert = listCertificates(db, volunteer.id)[0]!;
		const riversideAdmin = one<{ email: string }>(
			db,
			"select u.email from membership m join user u on u.id = m.user_id where m.org_id = ? and m.role = 'admin'",
			orgId(db, 'riverside-pd')
		).email;
		importCsv(
			db,
			'riverside-pd',
			riversideAdmin,
			'name,email,role\nJordan,volunteer@harbor.muster.test,learner'
		);
		expect(canDownload(db, { id: sergeant.id, isInstanceAdmin: false }, cert)).toBe(false);
		const [inv] = listInvitationsFor(db, viewer(db, volunteer.email));
		expect(respondToInvitation(db, inv!.id, viewer(db, volunteer.email), true)).toMatchObject({
			ok: true,
			accepted: true,
			orgSlug: 'riverside-pd'
		});
		expect(memberships(db, volunteer.id, 'riverside-pd')).toBe(1);
		expect(canDownload(db, { id: sergeant.id, isInstanceAdmin: false }, cert)).toBe(true);
		expect(listMyMemberships(db, volunteer.id).map((m) => m.slug)).toEqual([
			'harbor-light',
			'riverside-pd'
		]);

		// Leaving: the row stays (marked left), the organization sees nothing, and an admin
		// cannot bring the person back; only a new invitation they accept does.
		expect(leaveOrganization(db, volunteer.id, 'riverside-pd', null)).toMatchObject({ ok: true });
		const row = one<{ id: number; active: number; left_at: number | null }>(
			db,
			'select id, active, left_at from membership where user_id = ? and org_id = ?',
			volunteer.id,
			orgId(db, 'riverside-pd')
		);
		expect(row.active).toBe(0);
		expect(row.left_at).not.toBeNull();
		expect(findMember(db, orgId(db, 'riverside-pd'), row.id)?.active).toBe(false);
		expect(canDownload(db, { id: sergeant.id, isInstanceAdmin: false }, cert)).toBe(false);
		expect(supervises(db, sergeant.id, volunteer.id)).toBe(false);
		expect(
			updateMember(
				db,
				orgId(db, 'riverside-pd'),
				row.id,
				{ active: true },
				{ actorId: sergeant.id }
			)
		).toEqual({ ok: false, reason: 'left' });
		expect(
			one<{ n: number }>(
				db,
				"select count(*) as n from audit_event where action = 'membership.leave' and actor_id = ?",
				volunteer.id
			).n
		).toBe(1);
		importCsv(
			db,
			'riverside-pd',
			riversideAdmin,
			'name,email,role\nJordan,volunteer@harbor.muster.test,learner'
		);
		const [again] = listInvitationsFor(db, viewer(db, volunteer.email));
		respondToInvitation(db, again!.id, viewer(db, volunteer.email), true);
		expect(canDownload(db, { id: sergeant.id, isInstanceAdmin: false }, cert)).toBe(true);
	});

	it('never lets the last administrator leave', async () => {
		const db = await demo();
		const harbor = orgId(db, 'harbor-light');
		const admins = db.$client
			.prepare(
				"select m.user_id as id from membership m join user u on u.id = m.user_id where m.org_id = ? and m.role = 'admin' and m.active = 1 order by u.email = 'coordinator@harbor.muster.test'"
			)
			.all(harbor) as { id: number }[];
		expect(admins.length).toBeGreaterThan(1);
		for (const a of admins.slice(0, -1))
			expect(leaveOrganization(db, a.id, 'harbor-light', null)).toMatchObject({ ok: true });
		expect(leaveOrganization(db, admins.at(-1)!.id, 'harbor-light', null)).toEqual({
			ok: false,
			reason: 'last_admin'
		});
	});
});

describe('H2: a join-link account is unverified and cannot be bound by email', () => {
	it('an attacker’s account with a victim-org email gets nothing from the victim’s import; the owner, once verified, must accept', async () => {
		const db = await demo();
		const config = testConfig();
		const coordinator = idOf(db, 'coordinator@harbor.muster.test');
		const { token } = createInvite(
			db,
			orgId(db, 'harbor-light'),
			{ role: 'learner', groupIds: [], maxUses: 50, days: 14 },
			coordinator.id
		);
		const joined = await joinWithNewAccount(db, config, token, {
			name: 'New Hire',
			email: 'newhire@riverside.muster.test',
			password: 'Attacker-Chosen-PW-1',
			ip: '203.0.113.9'
		});
		expect(joined).toMatchObject({ ok: true, verified: false });
		const attacker = viewer(db, 'newhire@riverside.muster.test');
		expect(attacker.emailVerified).toBe(false);

		const riversideAdmin = one<{ email: string }>(
			db,
			"select u.email from membership m join user u on u.id = m.user_id where m.org_id = ? and m.role = 'admin'",
			orgId(db, 'riverside-pd')
		).email;
		const result = importCsv(
			db,
			'riverside-pd',
			riversideAdmin,
			'name,email,role\nNew Hire,newhire@riverside.muster.test,supervisor'
		);
		expect(result.result.invited).toBe(1);
		// The invitation goes to the mailbox, which the attacker does not read.
		expect(result.invites.map((i) => i.email)).toEqual(['newhire@riverside.muster.test']);
		expect(memberships(db, attacker.id, 'riverside-pd')).toBe(0);
		expect(orgAccess(db, { id: attacker.id, isInstanceAdmin: false }, 'riverside-pd')).toBeNull();
		expect(listInvitationsFor(db, attacker)).toEqual([]);
		const pending = one<{ id: number }>(
			db,
			'select id from invite where email = ? and org_id = ?',
			attacker.email,
			orgId(db, 'riverside-pd')
		).id;
		expect(respondToInvitation(db, pending, attacker, true)).toEqual({
			ok: false,
			reason: 'unverified'
		});
		expect(memberships(db, attacker.id, 'riverside-pd')).toBe(0);

		// Whoever reads that mailbox verifies it; then the invitation appears, to be accepted.
		const link = db.transaction((tx) => issueEmailVerification(tx, attacker.id))!;
		expect(confirmEmail(db, link.token, null)).toMatchObject({ ok: true });
		const verified = viewer(db, attacker.email);
		expect(verified.emailVerified).toBe(true);
		expect(memberships(db, attacker.id, 'riverside-pd')).toBe(0);
		const [inv] = listInvitationsFor(db, verified);
		expect(inv).toMatchObject({ orgName: 'Riverside Police Department', role: 'supervisor' });
		expect(respondToInvitation(db, inv!.id, verified, true)).toMatchObject({ ok: true });
		expect(memberships(db, attacker.id, 'riverside-pd')).toBe(1);
	});

	it('a personal invite proves the mailbox, so its account starts verified', async () => {
		const db = await demo();
		const coordinator = idOf(db, 'coordinator@harbor.muster.test');
		const { token } = createInvite(
			db,
			orgId(db, 'harbor-light'),
			{ role: 'learner', groupIds: [], maxUses: 1, days: 14, email: 'sam@example.org' },
			coordinator.id
		);
		const joined = await joinWithNewAccount(db, testConfig(), token, {
			name: 'Sam',
			email: 'sam@example.org',
			password: 'a long and fine passphrase',
			ip: '203.0.113.9'
		});
		expect(joined).toMatchObject({ ok: true, verified: true });
		expect(viewer(db, 'sam@example.org').emailVerified).toBe(true);
	});
});

describe('email verification', () => {
	it('stores only a hash, works once, only for the address it was sent to, and for 24 hours', async () => {
		const db = testDb();
		const now = new Date('2026-12-01T12:00:00Z');
		const u = one<{ id: number }>(
			db,
			"insert into user (email, name, password_hash, created_at) values ('n@example.org', 'N', 'x', ?) returning id",
			now.getTime()
		);
		const link = db.transaction((tx) => issueEmailVerification(tx, u.id, now))!;
		expect(
			one<{ n: number }>(
				db,
				'select count(*) as n from email_verification where token_hash = ?',
				link.token
			).n
		).toBe(0);
		const late = new Date(now.getTime() + 24 * 3_600_000 + 1);
		expect(inspectEmailVerification(db, link.token, late)).toBeNull();
		expect(confirmEmail(db, link.token, null, late)).toEqual({ ok: false });

		const second = db.transaction((tx) => issueEmailVerification(tx, u.id, now))!;
		db.$client.prepare("update user set email = 'other@example.org' where id = ?").run(u.id);
		expect(confirmEmail(db, second.token, null, now)).toEqual({ ok: false });
		db.$client.prepare("update user set email = 'n@example.org' where id = ?").run(u.id);

		const third = db.transaction((tx) => issueEmailVerification(tx, u.id, now))!;
		expect(inspectEmailVerification(db, third.token, now)).toEqual({ email: 'n@example.org' });
		expect(confirmEmail(db, third.token, null, now)).toMatchObject({ ok: true });
		expect(confirmEmail(db, third.token, null, now)).toEqual({ ok: false });
		expect(
			one<{ v: number }>(db, 'select email_verified_at as v from user where id = ?', u.id).v
		).toBe(now.getTime());
		// Verified accounts get no more links.
		expect(issueEmailVerification(db, u.id, now)).toBeNull();
	});

	it('limits links to five an hour', async () => {
		const db = testDb();
		const u = one<{ id: number }>(
			db,
			"insert into user (email, name, password_hash) values ('l@example.org', 'L', 'x') returning id"
		);
		for (let i = 0; i < 5; i++) expect(issueEmailVerification(db, u.id)).not.toBeNull();
		expect(issueEmailVerification(db, u.id)).toBeNull();
	});

	it('a completed password reset verifies the email too (the link came to that mailbox)', async () => {
		const db = testDb();
		const u = one<{ id: number }>(
			db,
			"insert into user (email, name, password_hash) values ('r@example.org', 'R', 'x') returning id"
		);
		const { sha256 } = await import('@oslojs/crypto/sha2');
		const { encodeHexLowerCase } = await import('@oslojs/encoding');
		const hash = encodeHexLowerCase(sha256(new TextEncoder().encode('resettoken')));
		db.$client
			.prepare(
				'insert into password_reset (token_hash, user_id, created_at, expires_at) values (?, ?, ?, ?)'
			)
			.run(hash, u.id, Date.now(), Date.now() + 3_600_000);
		const done = await completePasswordReset(db, {
			token: 'resettoken',
			password: 'a long and fine passphrase',
			ip: '127.0.0.1'
		});
		expect(done).toMatchObject({ ok: true });
		expect(viewer(db, 'r@example.org').emailVerified).toBe(true);
	});

	it('expires unverified accounts after 7 days: disabled, email released, row and records kept', async () => {
		const db = await demo();
		const config = testConfig();
		const coordinator = idOf(db, 'coordinator@harbor.muster.test');
		const { token } = createInvite(
			db,
			orgId(db, 'harbor-light'),
			{ role: 'learner', groupIds: [], maxUses: 50, days: 30 },
			coordinator.id
		);
		const squat = await joinWithNewAccount(db, config, token, {
			name: 'Squatter',
			email: 'taken@riverside.muster.test',
			password: 'Attacker-Chosen-PW-1',
			ip: '203.0.113.9'
		});
		if (!squat.ok) throw new Error(squat.reason);
		const later = new Date(Date.now() + 7 * 86_400_000 + 1000);
		expect(
			validateSessionToken(db, config, squat.token, new Date(Date.now() + 60_000))
		).not.toBeNull();
		expect(validateSessionToken(db, config, squat.token, later)).toBeNull();
		expect(expireUnverifiedAccounts(db, later)).toBe(1);
		const row = one<{ email: string; disabled_at: number | null }>(
			db,
			'select email, disabled_at from user where id = ?',
			squat.userId
		);
		expect(row.disabled_at).not.toBeNull();
		expect(row.email).toBe(`expired-${squat.userId}@released.invalid`);
		expect(memberships(db, squat.userId, 'harbor-light')).toBe(1); // records and rows stay
		expect(findUserByEmail(db, 'taken@riverside.muster.test')).toBeUndefined();
		expect(
			await signIn(db, config, {
				email: 'taken@riverside.muster.test',
				password: 'Attacker-Chosen-PW-1',
				ip: '203.0.113.9'
			})
		).toMatchObject({ ok: false });
		// The address is free for its owner.
		const owner = await joinWithNewAccount(db, config, token, {
			name: 'Owner',
			email: 'taken@riverside.muster.test',
			password: 'the owner’s own passphrase',
			ip: '198.51.100.1'
		});
		expect(owner).toMatchObject({ ok: true });
		expect(
			one<{ n: number }>(
				db,
				"select count(*) as n from audit_event where action = 'user.expire_unverified'"
			).n
		).toBe(1);
	});

	it('the demo’s accounts are verified', async () => {
		const db = await demo();
		expect(
			one<{ n: number }>(db, 'select count(*) as n from user where email_verified_at is null').n
		).toBe(0);
	});
});

describe('name changes', () => {
	it('refuses NUL and other control characters with a message, trims, and audits a change', async () => {
		for (const bad of ['Ann\u0000', 'Ann\nLee', 'Ann\u007f', 'Ann\u202eeeL', 'Ann\u0085'])
			expect(personName.safeParse(bad).error?.issues[0]?.message).toMatch(/control character/);
		expect(personName.safeParse('   ').error?.issues[0]?.message).toBe('Name is required.');
		expect(personName.safeParse('x'.repeat(121)).success).toBe(false);
		expect(personName.parse('  Nguyễn Thị Ánh ')).toBe('Nguyễn Thị Ánh');

		const db = await demo();
		const officer = idOf(db, 'officer@riverside.muster.test');
		expect(changeName(db, officer.id, 'Luis Ramírez', '127.0.0.1')).toEqual({ changed: true });
		expect(changeName(db, officer.id, 'Luis Ramírez', '127.0.0.1')).toEqual({ changed: false });
		const audit = one<{ detail: string }>(
			db,
			"select detail from audit_event where action = 'user.rename' and actor_id = ?",
			officer.id
		);
		expect(JSON.parse(audit.detail)).toEqual({ from: 'Officer Luis Ramírez', to: 'Luis Ramírez' });
	});
});
