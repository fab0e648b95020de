import { describe, expect, it } from 'vitest';
import { createSession, validateSessionToken } from '../../src/lib/server/auth/session';
import { signIn } from '../../src/lib/server/auth/sign-in';
import { setUserDisabled, upsertInstanceAdmin } from '../../src/lib/server/users';
import { makeUser, testConfig, testDb } from '../fixtures/db';

describe('creating or resetting an instance administrator', () => {
	it('creates a new administrator who can sign in', async () => {
		const db = testDb();
		const r = await upsertInstanceAdmin(db, {
			email: 'Ops@Example.org',
			password: 'a long admin passphrase'
		});
		expect(r.created).toBe(true);
		const s = await signIn(db, testConfig(), {
			email: 'ops@example.org',
			password: 'a long admin passphrase',
			ip: '::1'
		});
		expect(s.ok).toBe(true);
	});

	it('resets an existing account: promotes, re-enables, replaces the password, ends sessions', async () => {
		const db = testDb();
		const config = testConfig();
		const admin = await makeUser(db, { isInstanceAdmin: true });
		const u = await makeUser(db);
		const old = createSession(db, config, u.id, { staff: false });
		setUserDisabled(db, u.id, true, { actorId: admin.id });
		const r = await upsertInstanceAdmin(db, {
			email: u.email,
			password: 'recovered admin passphrase'
		});
		expect(r).toEqual({ id: u.id, created: false });
		expect(validateSessionToken(db, config, old.token)).toBeNull();
		const s = await signIn(db, config, {
			email: u.email,
			password: 'recovered admin passphrase',
			ip: '::1'
		});
		expect(s.ok).toBe(true);
		if (s.ok) expect(validateSessionToken(db, config, s.token)?.user.isInstanceAdmin).toBe(true);
		const audit = db.$client
			.prepare(
				"select actor_email as who from audit_event where action = 'admin.reset_instance_admin'"
			)
			.get();
		expect(audit).toEqual({ who: 'command line' });
	});
});
