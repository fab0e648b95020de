import { describe, expect, it } from 'vitest';
import { signIn } from '../../src/lib/server/auth/sign-in';
import { signOut } from '../../src/lib/server/auth/sign-out';
import {
	createSession,
	flushTouches,
	validateSessionToken
} from '../../src/lib/server/auth/session';
import { setUserDisabled } from '../../src/lib/server/users';
import { makeUser, TEST_PASSWORD, testConfig, testDb } from '../fixtures/db';

const ip = '192.0.2.10';

describe('sessions', () => {
	it('issues a new token at every sign-in and stores only a hash of its secret', async () => {
		const db = testDb();
		const config = testConfig();
		const u = await makeUser(db);
		const first = await signIn(db, config, { email: u.email, password: TEST_PASSWORD, ip });
		const second = await signIn(db, config, { email: u.email, password: TEST_PASSWORD, ip });
		expect(first.ok && second.ok).toBe(true);
		if (!first.ok || !second.ok) return;
		expect(first.token).not.toBe(second.token);
		const secret = first.token.split('.')[1]!;
		expect(secret.length).toBeGreaterThanOrEqual(32); // 160 bits in base32
		const stored = db.$client.prepare('select * from session').all();
		expect(JSON.stringify(stored)).not.toContain(secret);
		expect(validateSessionToken(db, config, first.token)?.user.email).toBe(u.email);
	});

	it('refuses a token whose secret is wrong even when the id is right', async () => {
		const db = testDb();
		const config = testConfig();
		const u = await makeUser(db);
		const { token } = createSession(db, config, u.id, { staff: false });
		const [id] = token.split('.');
		expect(validateSessionToken(db, config, `${id}.${'a'.repeat(32)}`)).toBeNull();
		expect(validateSessionToken(db, config, 'garbage')).toBeNull();
		expect(validateSessionToken(db, config, `${token}.extra`)).toBeNull();
	});

	it('ends the session at sign-out, and every session with "sign out everywhere"', async () => {
		const db = testDb();
		const config = testConfig();
		const u = await makeUser(db);
		const a = createSession(db, config, u.id, { staff: false });
		const b = createSession(db, config, u.id, { staff: false });
		const c = createSession(db, config, u.id, { staff: false });
		signOut(db, validateSessionToken(db, config, a.token)!.session, { everywhere: false });
		expect(validateSessionToken(db, config, a.token)).toBeNull();
		expect(validateSessionToken(db, config, b.token)).not.toBeNull();
		signOut(db, validateSessionToken(db, config, b.token)!.session, { everywhere: true });
		expect(validateSessionToken(db, config, b.token)).toBeNull();
		expect(validateSessionToken(db, config, c.token)).toBeNull();
		const actions = db.$client.prepare('select action from audit_event order by id').all();
		expect(actions).toEqual([{ action: 'auth.sign_out' }, { action: 'auth.sign_out_everywhere' }]);
	});

	it('ends a disabled account’s sessions at once and refuses its sign-in', async () => {
		const db = testDb();
		const config = testConfig();
		const admin = await makeUser(db, { isInstanceAdmin: true });
		const u = await makeUser(db);
		const { token } = createSession(db, config, u.id, { staff: false });
		setUserDisabled(db, u.id, true, { actorId: admin.id });
		expect(validateSessionToken(db, config, token)).toBeNull();
		const again = await signIn(db, config, { email: u.email, password: TEST_PASSWORD, ip });
		expect(again.ok).toBe(false);
		const audit = db.$client
			.prepare("select actor_id as actorId from audit_event where action = 'user.disable'")
			.get();
		expect(audit).toEqual({ actorId: admin.id });
	});

	it('slides the idle window with activity and stops at the absolute lifetime', async () => {
		const db = testDb();
		const config = testConfig({ SESSION_IDLE_MINUTES: '60', SESSION_MAX_HOURS: '3' });
		const u = await makeUser(db);
		const t0 = new Date('2026-01-01T08:00:00Z');
		const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
		const { token } = createSession(db, config, u.id, { staff: false, now: t0 });
		// Active every 50 minutes: the idle window keeps sliding.
		for (const m of [50, 100, 150])
			expect(validateSessionToken(db, config, token, at(m))).not.toBeNull();
		// Past the 3-hour absolute lifetime it ends even though it was used recently.
		expect(validateSessionToken(db, config, token, at(181))).toBeNull();

		const idle = createSession(db, config, u.id, { staff: false, now: t0 });
		expect(validateSessionToken(db, config, idle.token, at(61))).toBeNull();
	});

	it('moves the expiry (and so re-sends the cookie) at most once a minute', async () => {
		const db = testDb();
		const config = testConfig({ SESSION_IDLE_MINUTES: '60', SESSION_MAX_HOURS: '3' });
		const u = await makeUser(db);
		const t0 = new Date('2026-01-01T08:00:00Z');
		const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
		const { token } = createSession(db, config, u.id, { staff: false, now: t0 });
		const check = (s: number) => validateSessionToken(db, config, token, at(s))!.session;
		// Within the minute the expiry stays where the sign-in cookie put it: nothing to re-send.
		expect(check(30)).toMatchObject({ touched: false, expiresAt: at(3600) });
		// A minute on, the idle window moves: the hook sends the cookie with the new expiry.
		expect(check(61)).toMatchObject({ touched: true, expiresAt: at(61 + 3600) });
		expect(check(90)).toMatchObject({ touched: false, expiresAt: at(61 + 3600) });
	});

	it('writes activity a second later, for all sessions in one go, and before closing', async () => {
		const db = testDb();
		const config = testConfig({ SESSION_IDLE_MINUTES: '60' });
		const u = await makeUser(db);
		const t0 = new Date('2026-01-01T08:00:00Z');
		const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
		const a = createSession(db, config, u.id, { staff: false, now: t0 });
		const b = createSession(db, config, u.id, { staff: false, now: t0 });
		const lastSeen = () =>
			(
				db.$client.prepare('select last_seen_at as t from session order by id').all() as {
					t: number;
				}[]
			).map((r) => r.t);

		// The request does not wait for the write...
		expect(validateSessionToken(db, config, a.token, at(50))).not.toBeNull();
		expect(validateSessionToken(db, config, b.token, at(50))).not.toBeNull();
		expect(lastSeen()).toEqual([t0.getTime(), t0.getTime()].sort());
		// ...yet the activity already counts: 100 minutes after sign-in, 50 after the last use.
		expect(validateSessionToken(db, config, a.token, at(100))).not.toBeNull();

		await new Promise((r) => setTimeout(r, 1_200));
		expect(lastSeen().sort()).toEqual([at(50).getTime(), at(100).getTime()].sort());

		// Closing the app writes what is still waiting.
		expect(validateSessionToken(db, config, b.token, at(105))).not.toBeNull();
		flushTouches(db);
		expect(lastSeen().sort()).toEqual([at(100).getTime(), at(105).getTime()].sort());
	});

	it('gives staff the shorter limits: 30 minutes idle, 12 hours absolute by default', async () => {
		const db = testDb();
		const config = testConfig();
		const admin = await makeUser(db, { isInstanceAdmin: true });
		const t0 = new Date('2026-01-01T08:00:00Z');
		const result = await signIn(db, config, {
			email: admin.email,
			password: TEST_PASSWORD,
			ip,
			now: t0
		});
		if (!result.ok) throw new Error('sign-in failed');
		expect(result.expiresAt.getTime() - t0.getTime()).toBe(30 * 60_000);
		expect(
			validateSessionToken(db, config, result.token, new Date(t0.getTime() + 31 * 60_000))
		).toBeNull();

		const learner = await makeUser(db);
		const l = await signIn(db, config, {
			email: learner.email,
			password: TEST_PASSWORD,
			ip,
			now: t0
		});
		if (!l.ok) throw new Error('sign-in failed');
		expect(
			validateSessionToken(db, config, l.token, new Date(t0.getTime() + 31 * 60_000))
		).not.toBeNull();
	});
});
