import { describe, expect, it } from 'vitest';
import { createSession, validateSessionToken } from '../../src/lib/server/auth/session';
import { signIn } from '../../src/lib/server/auth/sign-in';
import type { DB } from '../../src/lib/server/db';
import { issuerFor, orgAccess } from '../../src/lib/server/orgs/access';
import {
	acceptInvite,
	createInvite,
	inspectInvite,
	revokeInvite
} from '../../src/lib/server/orgs/invites';
import { joinWithNewAccount } from '../../src/lib/server/orgs/join';
import {
	createGroup,
	listGroups,
	listMembers,
	updateMember
} from '../../src/lib/server/orgs/members';
import { addMembership, createOrganization } from '../../src/lib/server/orgs/organizations';
import { isStaff } from '../../src/lib/server/users';
import { makeUser, TEST_PASSWORD, testConfig, testDb } from '../fixtures/db';

async function setup() {
	const db = testDb();
	const root = await makeUser(db, { isInstanceAdmin: true });
	const admin = await makeUser(db);
	const made = createOrganization(
		db,
		{
			name: 'Harbor Light',
			slug: 'harbor',
			kind: 'ngo',
			timeZone: 'UTC',
			firstAdmin: { email: admin.email }
		},
		{ actorId: root.id }
	);
	const other = createOrganization(
		db,
		{
			name: 'Riverside PD',
			slug: 'riverside',
			kind: 'department',
			timeZone: 'UTC',
			firstAdmin: { email: root.email }
		},
		{ actorId: root.id }
	);
	if (!made.ok || !other.ok) throw new Error('orgs');
	// The first admin becomes a member only by accepting the invitation.
	const accepted = db.transaction((tx) => acceptInvite(tx, made.adminInvite, admin));
	if (!accepted.ok) throw new Error('accept');
	return { db, root, admin, orgId: made.orgId, otherOrgId: other.orgId };
}
const count = (db: DB, sql: string, ...p: unknown[]) =>
	(db.$client.prepare(sql).get(...p) as { n: number }).n;
const person = (u: { id: number }, isInstanceAdmin = false) => ({ id: u.id, isInstanceAdmin });

describe('organizations and access', () => {
	it('gives members their role, instance admins admin, and outsiders nothing', async () => {
		const { db, root, admin, orgId } = await setup();
		const learner = await makeUser(db);
		const outsider = await makeUser(db);
		addMembership(db, { orgId, userId: learner.id, role: 'learner' });
		expect(orgAccess(db, person(admin), 'harbor')?.role).toBe('admin');
		expect(orgAccess(db, person(learner), 'harbor')?.role).toBe('learner');
		expect(orgAccess(db, person(outsider), 'harbor')).toBeNull();
		expect(orgAccess(db, person(root, true), 'harbor')?.role).toBe('admin');
		expect(orgAccess(db, person(admin), 'no-such-org')).toBeNull();
		expect(count(db, "select count(*) as n from audit_event where action = 'org.create'")).toBe(2);
	});

	it('invites a first admin, with or without an account, and makes nobody a member until they accept', async () => {
		const { db, root } = await setup();
		const chief = await makeUser(db);
		const withAccount = createOrganization(
			db,
			{
				name: 'Campus',
				slug: 'campus',
				kind: 'campus',
				timeZone: 'UTC',
				firstAdmin: { email: chief.email }
			},
			{ actorId: root.id }
		);
		if (!withAccount.ok) throw new Error('org');
		expect(orgAccess(db, person(chief), 'campus')).toBeNull();
		expect(count(db, 'select count(*) as n from membership where user_id = ?', chief.id)).toBe(0);
		expect(inspectInvite(db, withAccount.adminInvite)).toMatchObject({
			role: 'admin',
			email: chief.email
		});
		const r = createOrganization(
			db,
			{
				name: 'Northfield',
				slug: 'northfield',
				kind: 'campus',
				timeZone: 'UTC',
				firstAdmin: { email: 'new.chief@example.org' }
			},
			{ actorId: root.id }
		);
		if (!r.ok) throw new Error('expected an invite');
		expect(inspectInvite(db, r.adminInvite)).toMatchObject({
			orgName: 'Northfield',
			role: 'admin',
			email: 'new.chief@example.org'
		});
		expect(
			createOrganization(
				db,
				{
					name: 'Again',
					slug: 'northfield',
					kind: 'campus',
					timeZone: 'UTC',
					firstAdmin: { email: 'x@example.org' }
				},
				{ actorId: root.id }
			)
		).toMatchObject({ ok: false, field: 'slug' });
	});

	it('names the learner’s organization of the course’s kind on certificates', async () => {
		const { db, orgId, otherOrgId } = await setup();
		const u = await makeUser(db);
		expect(issuerFor(db, u.id, 'volunteers', 'Muster')).toBe('Muster');
		addMembership(db, { orgId, userId: u.id, role: 'learner' });
		addMembership(db, { orgId: otherOrgId, userId: u.id, role: 'learner' });
		expect(issuerFor(db, u.id, 'law-enforcement', 'Muster')).toBe('Riverside PD');
		expect(issuerFor(db, u.id, 'volunteers', 'Muster')).toBe('Harbor Light');
		expect(issuerFor(db, u.id, 'campus', 'Muster')).toBe('Harbor Light');
	});
});

describe('invites', () => {
	it('admits exactly as many people as the link allows, even all at once, with role and groups', async () => {
		const { db, admin, orgId } = await setup();
		createGroup(db, orgId, { name: 'Outreach', kind: 'team' }, { actorId: admin.id });
		const group = listGroups(db, orgId)[0]!;
		const { token } = createInvite(
			db,
			orgId,
			{ role: 'learner', groupIds: [group.id], maxUses: 3, days: 7 },
			admin.id
		);
		const people = await Promise.all(Array.from({ length: 5 }, () => makeUser(db)));
		const results = await Promise.all(
			people.map((p) =>
				Promise.resolve().then(() => db.transaction((tx) => acceptInvite(tx, token, p)))
			)
		);
		expect(results.filter((r) => r.ok)).toHaveLength(3);
		expect(
			count(
				db,
				'select count(*) as n from membership where org_id = ? and role = ?',
				orgId,
				'learner'
			)
		).toBe(3);
		expect(listGroups(db, orgId)[0]!.members).toBe(3);
		expect(inspectInvite(db, token)).toBeNull();
		expect(
			count(
				db,
				"select count(*) as n from audit_event where action = 'invite.accept' and actor_id != ?",
				admin.id
			)
		).toBe(3);
	});

	it('refuses expired, revoked and other people’s invites', async () => {
		const { db, admin, orgId, otherOrgId } = await setup();
		const u = await makeUser(db);
		const t0 = new Date('2026-01-01T00:00:00Z');
		const expired = createInvite(
			db,
			orgId,
			{ role: 'learner', groupIds: [], maxUses: 5, days: 1 },
			admin.id,
			t0
		);
		expect(db.transaction((tx) => acceptInvite(tx, expired.token, u))).toEqual({
			ok: false,
			reason: 'invalid'
		});
		const revoked = createInvite(
			db,
			orgId,
			{ role: 'learner', groupIds: [], maxUses: 5, days: 7 },
			admin.id
		);
		expect(revokeInvite(db, otherOrgId, revoked.id, { actorId: admin.id })).toBe(false); // not that org's invite
		expect(revokeInvite(db, orgId, revoked.id, { actorId: admin.id })).toBe(true);
		expect(db.transaction((tx) => acceptInvite(tx, revoked.token, u))).toEqual({
			ok: false,
			reason: 'invalid'
		});
		const personal = createInvite(
			db,
			orgId,
			{ role: 'learner', groupIds: [], maxUses: 1, days: 7, email: 'someone@example.org' },
			admin.id
		);
		expect(db.transaction((tx) => acceptInvite(tx, personal.token, u))).toEqual({
			ok: false,
			reason: 'wrong_email'
		});
	});

	it('creates an account, its membership and a session from an invite; refuses a taken email', async () => {
		const { db, admin, orgId } = await setup();
		const config = testConfig();
		const { token } = createInvite(
			db,
			orgId,
			{ role: 'learner', groupIds: [], maxUses: 30, days: 7 },
			admin.id
		);
		const r = await joinWithNewAccount(db, config, token, {
			name: 'Zoë Ñúñez',
			email: 'Zoe@Example.org',
			password: 'a long volunteer passphrase',
			ip: '::1'
		});
		if (!r.ok) throw new Error(r.reason);
		expect(validateSessionToken(db, config, r.token)?.user.email).toBe('zoe@example.org');
		expect(
			orgAccess(db, person({ id: validateSessionToken(db, config, r.token)!.user.id }), 'harbor')
				?.role
		).toBe('learner');
		const again = await joinWithNewAccount(db, config, token, {
			name: 'Z',
			email: 'zoe@example.org',
			password: 'another long passphrase',
			ip: '::1'
		});
		expect(again).toEqual({ ok: false, reason: 'email_taken' });
		const weak = await joinWithNewAccount(db, config, token, {
			name: 'Y',
			email: 'y@example.org',
			password: 'password1',
			ip: '::1'
		});
		expect(weak.ok === false && weak.reason).toBe('weak_password');
		expect(count(db, 'select count(*) as n from user where email = ?', 'y@example.org')).toBe(0);
	});
});

describe('members', () => {
	it('changes role and groups with an audit entry; the new role starts a new session', async () => {
		const { db, admin, orgId } = await setup();
		const config = testConfig();
		const u = await makeUser(db);
		const m = addMembership(db, { orgId, userId: u.id, role: 'learner' });
		const { token } = createSession(db, config, u.id, { staff: false });
		createGroup(db, orgId, { name: 'Night shift', kind: 'shift' }, { actorId: admin.id });
		const g = listGroups(db, orgId)[0]!.id;
		expect(
			updateMember(db, orgId, m, { role: 'supervisor', groupIds: [g] }, { actorId: admin.id })
		).toEqual({ ok: true });
		expect(validateSessionToken(db, config, token)).toBeNull();
		expect(isStaff(db, u.id)).toBe(true);
		const signed = await signIn(db, config, { email: u.email, password: TEST_PASSWORD, ip: '::1' });
		expect(signed.ok && signed.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(30 * 60_000);
		const audit = db.$client
			.prepare(
				"select actor_id as actor, org_id as org, detail from audit_event where action = 'membership.update'"
			)
			.get() as { actor: number; org: number; detail: string };
		expect(audit.actor).toBe(admin.id);
		expect(audit.org).toBe(orgId);
		expect(JSON.parse(audit.detail)).toEqual({
			role: { from: 'learner', to: 'supervisor' },
			groups: { from: [], to: [g] }
		});
	});

	it('deactivates without deleting: records stay, sessions end, access goes', async () => {
		const { db, admin, orgId } = await setup();
		const config = testConfig();
		const u = await makeUser(db);
		const m = addMembership(db, { orgId, userId: u.id, role: 'learner' });
		const { token } = createSession(db, config, u.id, { staff: false });
		expect(updateMember(db, orgId, m, { active: false }, { actorId: admin.id })).toEqual({
			ok: true
		});
		expect(validateSessionToken(db, config, token)).toBeNull();
		expect(orgAccess(db, person(u), 'harbor')).toBeNull();
		expect(count(db, 'select count(*) as n from membership where id = ?', m)).toBe(1);
	});

	it('keeps at least one admin, and never touches another organization’s member', async () => {
		const { db, admin, orgId, otherOrgId } = await setup();
		const adminMembership = (
			db.$client
				.prepare('select id from membership where org_id = ? and user_id = ?')
				.get(orgId, admin.id) as { id: number }
		).id;
		expect(
			updateMember(db, orgId, adminMembership, { role: 'learner' }, { actorId: admin.id })
		).toEqual({ ok: false, reason: 'last_admin' });
		const stranger = await makeUser(db);
		const theirs = addMembership(db, { orgId: otherOrgId, userId: stranger.id, role: 'learner' });
		expect(updateMember(db, orgId, theirs, { active: false }, { actorId: admin.id })).toEqual({
			ok: false,
			reason: 'not_found'
		});
		const g = createGroup(db, otherOrgId, { name: 'Theirs', kind: 'team' }, { actorId: admin.id });
		expect(g.ok).toBe(true);
		const foreignGroup = listGroups(db, otherOrgId)[0]!.id;
		const mine = addMembership(db, { orgId, userId: stranger.id, role: 'learner' });
		expect(
			updateMember(db, orgId, mine, { groupIds: [foreignGroup] }, { actorId: admin.id })
		).toEqual({ ok: false, reason: 'unknown_group' });
	});

	it('searches, filters and pages the roster', async () => {
		const { db, admin, orgId } = await setup();
		createGroup(db, orgId, { name: 'Outreach', kind: 'team' }, { actorId: admin.id });
		const g = listGroups(db, orgId)[0]!.id;
		for (let i = 0; i < 30; i++) {
			const u = await makeUser(db, {
				name: i === 7 ? 'Nguyễn Thị Ánh' : `Volunteer ${String(i).padStart(2, '0')}`
			});
			const m = addMembership(db, {
				orgId,
				userId: u.id,
				role: i % 10 === 0 ? 'supervisor' : 'learner',
				employeeId: `B${i}`
			});
			if (i < 4) updateMember(db, orgId, m, { groupIds: [g] }, { actorId: admin.id });
		}
		const all = listMembers(db, orgId);
		expect(all.total).toBe(31);
		expect(all.rows).toHaveLength(25);
		expect(listMembers(db, orgId, { page: 2 }).rows).toHaveLength(6);
		expect(listMembers(db, orgId, { q: 'nguyễn' }).rows.map((r) => r.name)).toEqual([
			'Nguyễn Thị Ánh'
		]);
		expect(listMembers(db, orgId, { q: 'B12' }).total).toBe(1);
		expect(listMembers(db, orgId, { role: 'supervisor' }).total).toBe(3);
		expect(listMembers(db, orgId, { groupId: g }).total).toBe(4);
	});
});
