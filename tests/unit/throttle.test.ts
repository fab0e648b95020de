import { beforeEach, describe, expect, it, vi } from 'vitest';

// Count every password verification so the test can prove the limiter answers before hashing.
const verifyCalls = vi.hoisted(() => ({ n: 0 }));
vi.mock('@node-rs/argon2', async (importOriginal) => {
	const real = await importOriginal<typeof import('@node-rs/argon2')>();
	return {
		...real,
		verify: (...args: Parameters<typeof real.verify>) => {
			verifyCalls.n += 1;
			return real.verify(...args);
		}
	};
});

const { signIn } = await import('../../src/lib/server/auth/sign-in');
const { makeUser, TEST_PASSWORD, testConfig, testDb } = await import('../fixtures/db');

const ip = '198.51.100.7';
const minutes = (t0: Date, m: number) => new Date(t0.getTime() + m * 60_000);

describe('sign-in throttling', () => {
	beforeEach(() => {
		verifyCalls.n = 0;
	});

	it('refuses the sixth wrong password within 15 minutes without hashing, and audits it', async () => {
		const db = testDb();
		const config = testConfig();
		const u = await makeUser(db);
		const t0 = new Date('2026-03-01T10:00:00Z');
		for (let i = 0; i < 5; i++) {
			const r = await signIn(db, config, {
				email: u.email,
				password: 'wrong password',
				ip,
				now: minutes(t0, i)
			});
			expect(r).toEqual({ ok: false, reason: 'invalid' });
		}
		expect(verifyCalls.n).toBe(5);
		const sixth = await signIn(db, config, {
			email: u.email,
			password: TEST_PASSWORD,
			ip,
			now: minutes(t0, 5)
		});
		expect(sixth.ok).toBe(false);
		expect(sixth.ok === false && sixth.reason).toBe('locked');
		expect(verifyCalls.n).toBe(5); // the right password was never even checked

		const rows = db.$client
			.prepare('select action, outcome from audit_event order by id')
			.all() as { action: string; outcome: string }[];
		expect(rows.filter((r) => r.action === 'auth.sign_in' && r.outcome === 'failure')).toHaveLength(
			5
		);
		expect(rows.some((r) => r.action === 'auth.lockout')).toBe(true);
		expect(rows.at(-1)).toEqual({ action: 'auth.sign_in', outcome: 'denied' });

		// The lock lifts 15 minutes after the last failure.
		const later = await signIn(db, config, {
			email: u.email,
			password: TEST_PASSWORD,
			ip,
			now: minutes(t0, 20)
		});
		expect(later.ok).toBe(true);
	});

	it('locks unknown emails the same way, so a lock reveals nothing', async () => {
		const db = testDb();
		const config = testConfig();
		const t0 = new Date('2026-03-01T10:00:00Z');
		for (let i = 0; i < 5; i++) {
			await signIn(db, config, { email: 'nobody@example.org', password: 'guess', ip, now: t0 });
		}
		const r = await signIn(db, config, {
			email: 'nobody@example.org',
			password: 'guess',
			ip,
			now: t0
		});
		expect(r.ok === false && r.reason).toBe('locked');
	});

	it('counts failures only since the last successful sign-in', async () => {
		const db = testDb();
		const config = testConfig();
		const u = await makeUser(db);
		const t0 = new Date('2026-03-01T10:00:00Z');
		for (let i = 0; i < 4; i++)
			await signIn(db, config, { email: u.email, password: 'nope', ip, now: t0 });
		expect(
			(
				await signIn(db, config, {
					email: u.email,
					password: TEST_PASSWORD,
					ip,
					now: minutes(t0, 1)
				})
			).ok
		).toBe(true);
		for (let i = 0; i < 4; i++)
			await signIn(db, config, { email: u.email, password: 'nope', ip, now: minutes(t0, 2) });
		expect(
			(
				await signIn(db, config, {
					email: u.email,
					password: TEST_PASSWORD,
					ip,
					now: minutes(t0, 3)
				})
			).ok
		).toBe(true);
	});

	it('limits one address across many accounts, before hashing', async () => {
		const db = testDb();
		const config = testConfig({ SIGNIN_MAX_FAILURES_PER_ADDRESS: '8' });
		const u = await makeUser(db);
		const t0 = new Date('2026-03-01T10:00:00Z');
		for (let i = 0; i < 8; i++) {
			await signIn(db, config, { email: `spray${i}@example.org`, password: 'guess', ip, now: t0 });
		}
		const before = verifyCalls.n;
		const r = await signIn(db, config, { email: u.email, password: TEST_PASSWORD, ip, now: t0 });
		expect(r.ok === false && r.reason === 'locked' && r.scope).toBe('address');
		expect(verifyCalls.n).toBe(before);
		// A flood from the paused address is audited once a minute, counting what it skipped.
		for (let i = 0; i < 20; i++)
			await signIn(db, config, { email: u.email, password: 'x', ip, now: t0 });
		const later = new Date(t0.getTime() + 61_000);
		await signIn(db, config, { email: u.email, password: 'x', ip, now: later });
		const denied = db.$client
			.prepare(
				"select detail from audit_event where action = 'auth.sign_in' and outcome = 'denied' and ip = ?"
			)
			.all(ip) as { detail: string }[];
		expect(denied).toHaveLength(2);
		expect(JSON.parse(denied[1]!.detail).similarSinceLastEntry).toBe(20);
		// Someone at another address is not affected.
		expect(
			(
				await signIn(db, config, {
					email: u.email,
					password: TEST_PASSWORD,
					ip: '203.0.113.5',
					now: t0
				})
			).ok
		).toBe(true);
	});

	it('holds one account to 5 guesses sent all at once, yet lets a shift behind one address sign in together', async () => {
		// Hashing takes tens of milliseconds: guesses sent side by side must not all pass the
		// check before the first failure is written.
		const db = testDb();
		const config = testConfig({ SIGNIN_MAX_FAILURES_PER_ADDRESS: '8' });
		const u = await makeUser(db);
		const now = new Date('2026-03-01T10:00:00Z');
		const guesses = await Promise.all(
			Array.from({ length: 20 }, (_, i) =>
				signIn(db, config, { email: u.email, password: `guess ${i}`, ip, now })
			)
		);
		expect(verifyCalls.n).toBe(5);
		expect(guesses.filter((g) => g.ok === false && g.reason === 'invalid')).toHaveLength(5);
		expect(guesses.filter((g) => g.ok === false && g.reason === 'locked')).toHaveLength(15);

		// A whole shift behind one address signs in at once: none of them is a failure.
		const shift = await Promise.all(
			Array.from({ length: 16 }, (_, i) => makeUser(db, { email: `officer${i}@example.org` }))
		);
		const signIns = await Promise.all(
			shift.map((o) =>
				signIn(db, config, { email: o.email, password: TEST_PASSWORD, ip: '192.0.2.9', now })
			)
		);
		expect(signIns.every((s) => s.ok)).toBe(true);
	});

	it('L4: a stranger guessing from elsewhere locks only their own address out, not the officer', async () => {
		const db = testDb();
		const config = testConfig();
		const officer = await makeUser(db);
		const now = new Date('2026-03-01T10:00:00Z');
		for (let i = 0; i < 5; i++) {
			await signIn(db, config, {
				email: officer.email,
				password: `guess ${i}`,
				ip: '203.0.113.66',
				now
			});
		}
		const stranger = await signIn(db, config, {
			email: officer.email,
			password: TEST_PASSWORD,
			ip: '203.0.113.66',
			now
		});
		expect(stranger.ok === false && stranger.reason).toBe('locked');
		const atWork = await signIn(db, config, {
			email: officer.email,
			password: TEST_PASSWORD,
			ip: '192.0.2.10',
			now
		});
		expect(atWork.ok).toBe(true);
	});

	it('L4: guesses spread over many addresses lock the account at the much higher account limit', async () => {
		const db = testDb();
		const config = testConfig({ SIGNIN_MAX_FAILURES_PER_ACCOUNT: '12' });
		const u = await makeUser(db);
		const now = new Date('2026-03-01T10:00:00Z');
		for (let i = 0; i < 11; i++) {
			const r = await signIn(db, config, {
				email: u.email,
				password: `guess ${i}`,
				ip: `203.0.113.${i}`,
				now
			});
			expect(r).toEqual({ ok: false, reason: 'invalid' });
		}
		expect(
			(await signIn(db, config, { email: u.email, password: TEST_PASSWORD, ip, now })).ok
		).toBe(true);
		for (let i = 0; i < 12; i++) {
			await signIn(db, config, {
				email: u.email,
				password: `guess ${i}`,
				ip: `198.18.0.${i}`,
				now: minutes(now, 1)
			});
		}
		const r = await signIn(db, config, {
			email: u.email,
			password: TEST_PASSWORD,
			ip: '192.0.2.200',
			now: minutes(now, 1)
		});
		expect(r.ok === false && r.reason === 'locked' && r.scope).toBe('account');
	});

	it('L4: a paused address still lets in officers who have signed in from it before', async () => {
		const db = testDb();
		const config = testConfig({ SIGNIN_MAX_FAILURES_PER_ADDRESS: '8' });
		const nat = '192.0.2.77';
		const now = new Date('2026-03-01T10:00:00Z');
		const shift = await Promise.all(
			Array.from({ length: 6 }, (_, i) => makeUser(db, { email: `shift${i}@example.org` }))
		);
		for (const o of shift) {
			expect(
				(await signIn(db, config, { email: o.email, password: TEST_PASSWORD, ip: nat, now })).ok
			).toBe(true);
		}
		// Someone on the same network sprays guesses at other accounts.
		for (let i = 0; i < 8; i++) {
			await signIn(db, config, {
				email: `spray${i}@example.org`,
				password: 'guess',
				ip: nat,
				now: minutes(now, 1)
			});
		}
		const later = minutes(now, 2);
		const back = await Promise.all(
			shift.map((o) =>
				signIn(db, config, { email: o.email, password: TEST_PASSWORD, ip: nat, now: later })
			)
		);
		expect(back.every((r) => r.ok)).toBe(true);
		const newcomer = await makeUser(db);
		const r = await signIn(db, config, {
			email: newcomer.email,
			password: TEST_PASSWORD,
			ip: nat,
			now: later
		});
		expect(r.ok === false && r.reason === 'locked' && r.scope).toBe('address');
	});
});
