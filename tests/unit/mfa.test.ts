import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { validateSessionToken } from '../../src/lib/server/auth/session';
import { signIn } from '../../src/lib/server/auth/sign-in';
import type { DB } from '../../src/lib/server/db';
import {
	membership,
	mfaPending,
	organization,
	recoveryCode,
	session
} from '../../src/lib/server/db/schema';
import {
	confirmApp,
	removeFactorAudited,
	renewRecoveryCodes,
	startApp
} from '../../src/lib/server/mfa/enrol';
import { hasMfa, listFactors, mfaRequired } from '../../src/lib/server/mfa/factors';
import { mfaGateOpen } from '../../src/lib/server/mfa/gate';
import { completeSecondStep, validatePending } from '../../src/lib/server/mfa/pending';
import { hashRecoveryCode, useRecoveryCode } from '../../src/lib/server/mfa/recovery';
import {
	matchStep,
	newTotpSecret,
	totpCode,
	totpStep,
	useTotp
} from '../../src/lib/server/mfa/totp';
import { setOrgRequiresMfa } from '../../src/lib/server/orgs/mfa-policy';
import { makeUser, TEST_PASSWORD, testConfig, testDb } from '../fixtures/db';

const ip = '198.51.100.9';
const t0 = new Date('2026-03-01T10:00:10Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

/** A user with a confirmed authenticator app; returns its secret and recovery codes. */
async function withApp(db: DB, now = t0) {
	const u = await makeUser(db);
	startApp(db, u.id, now);
	const secret = listFactors(db, u.id).pendingApp!.secret;
	const confirmed = confirmApp(db, { userId: u.id, ip, now }, totpCode(secret, totpStep(now)));
	if (!confirmed.ok) throw new Error(confirmed.message);
	return { ...u, secret, codes: confirmed.recoveryCodes! };
}

/** A six-digit code that is not the code of the step or of either neighbour. */
function wrongCode(secret: string, step: number): string {
	const near = [-1, 0, 1].map((o) => totpCode(secret, step + o));
	for (let n = 0; ; n++) {
		const code = String(n).padStart(6, '0');
		if (!near.includes(code)) return code;
	}
}

async function pendingFor(db: DB, email: string, now: Date, next = '/courses') {
	const r = await signIn(db, testConfig(), { email, password: TEST_PASSWORD, ip, next, now });
	if (r.ok || r.reason !== 'second_factor')
		throw new Error(`expected a second step: ${JSON.stringify(r)}`);
	return r.pendingToken;
}

describe('TOTP', () => {
	it('accepts the codes of one step either side of the clock and refuses two steps off', () => {
		const secret = newTotpSecret();
		const step = totpStep(t0);
		for (const off of [-1, 0, 1])
			expect(matchStep(secret, totpCode(secret, step + off), t0, null)).toBe(step + off);
		for (const off of [-2, 2])
			expect(matchStep(secret, totpCode(secret, step + off), t0, null)).toBeNull();
		expect(matchStep(secret, wrongCode(secret, step), t0, null)).toBeNull();
	});

	it('accepts a code once; a replay, or an older code after a newer one, is refused', async () => {
		const db = testDb();
		// Enrolment used the code of t0's step: that code is spent already.
		const u = await withApp(db);
		const step = totpStep(t0);
		expect(useTotp(db, u.id, totpCode(u.secret, step), t0)).toBeNull();
		const later = at(30);
		const code = totpCode(u.secret, step + 1);
		expect(useTotp(db, u.id, code.slice(0, 3) + ' ' + code.slice(3), later)).not.toBeNull();
		expect(useTotp(db, u.id, code, later)).toBeNull();
		// The previous step's code is within the drift window but older than the last one used.
		expect(useTotp(db, u.id, totpCode(u.secret, step), later)).toBeNull();
		expect(useTotp(db, u.id, totpCode(u.secret, step + 2), later)).not.toBeNull();
	});
});

describe('recovery codes', () => {
	it('ten codes, stored only as SHA-256, each working once; a new set revokes the old', async () => {
		const db = testDb();
		const u = await withApp(db);
		expect(u.codes).toHaveLength(10);
		expect(new Set(u.codes).size).toBe(10);
		const stored = db.select().from(recoveryCode).where(eq(recoveryCode.userId, u.id)).all();
		const dump = JSON.stringify(stored);
		for (const c of u.codes) {
			expect(c).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
			expect(dump).not.toContain(c);
			expect(dump).not.toContain(c.replaceAll('-', ''));
			expect(stored.map((s) => s.codeHash)).toContain(hashRecoveryCode(c));
		}
		expect(useRecoveryCode(db, u.id, ` ${u.codes[0]!.toUpperCase()} `, t0)).toBe(true);
		expect(useRecoveryCode(db, u.id, u.codes[0]!, t0)).toBe(false);
		const other = await makeUser(db);
		expect(useRecoveryCode(db, other.id, u.codes[1]!, t0)).toBe(false);

		const fresh = renewRecoveryCodes(db, { userId: u.id, ip, now: t0 })!;
		expect(useRecoveryCode(db, u.id, u.codes[1]!, t0)).toBe(false);
		expect(useRecoveryCode(db, u.id, fresh[0]!, t0)).toBe(true);
	});

	it('signs in once with a recovery code; the same code fails the next time', async () => {
		const db = testDb();
		const config = testConfig();
		const u = await withApp(db);
		const first = await completeSecondStep(db, config, {
			token: await pendingFor(db, u.email, t0),
			factor: { method: 'recovery', code: u.codes[3]! },
			ip,
			now: t0
		});
		expect(first).toMatchObject({ ok: true, next: '/courses', recoveryLeft: 9 });
		const again = await completeSecondStep(db, config, {
			token: await pendingFor(db, u.email, at(60)),
			factor: { method: 'recovery', code: u.codes[3]! },
			ip,
			now: at(60)
		});
		expect(again).toEqual({ ok: false, reason: 'invalid' });
	});
});

describe('the pending half-session', () => {
	it('is not a session: no page of the app accepts it, and it opens a session only once', async () => {
		const db = testDb();
		const config = testConfig();
		const u = await withApp(db);
		const token = await pendingFor(db, u.email, t0);
		// The half-session's cookie value is no session, and no session row exists yet.
		expect(validateSessionToken(db, config, token, t0)).toBeNull();
		expect(db.select().from(session).where(eq(session.userId, u.id)).all()).toHaveLength(0);
		// Only its id and the SHA-256 of its secret are stored.
		const row = db.select().from(mfaPending).get()!;
		expect(JSON.stringify(row)).not.toContain(token.split('.')[1]);
		expect(validatePending(db, token, at(9 * 60))).not.toBeNull();
		expect(validatePending(db, token, at(10 * 60 + 1))).toBeNull();

		const token2 = await pendingFor(db, u.email, at(30));
		const ok = await completeSecondStep(db, config, {
			token: token2,
			factor: { method: 'app', code: totpCode(u.secret, totpStep(at(30))) },
			ip,
			now: at(30)
		});
		expect(ok.ok).toBe(true);
		if (!ok.ok) return;
		expect(validateSessionToken(db, config, ok.token, at(30))?.user.id).toBe(u.id);
		const reuse = await completeSecondStep(db, config, {
			token: token2,
			factor: { method: 'app', code: totpCode(u.secret, totpStep(at(60))) },
			ip,
			now: at(60)
		});
		expect(reuse).toEqual({ ok: false, reason: 'expired' });
	});

	it('a session held at enrolment opens only the enrolment page and sign-out', () => {
		const open = (p: string) => mfaGateOpen(new URL(p, 'http://x'));
		expect(open('/me/account/mfa')).toBe(true);
		expect(open('/logout')).toBe(true);
		for (const p of ['/', '/me/account', '/orgs/riverside', '/me/account/mfa-x', '/admin'])
			expect(open(p)).toBe(false);
	});
});

describe('second-factor attempts share the sign-in throttle', () => {
	it('wrong codes and wrong passwords add up to one lock, which a right code cannot pass', async () => {
		const db = testDb();
		const config = testConfig();
		const u = await withApp(db);
		for (let i = 0; i < 2; i++) {
			const r = await signIn(db, config, { email: u.email, password: 'nope', ip, now: at(i) });
			expect(r).toEqual({ ok: false, reason: 'invalid' });
		}
		// A correct password does not reset the count: the whole sign-in has not succeeded yet.
		const token = await pendingFor(db, u.email, at(5));
		for (let i = 0; i < 3; i++) {
			const r = await completeSecondStep(db, config, {
				token,
				factor: {
					method: 'app',
					code: wrongCode(u.secret, totpStep(at(6)))
				},
				ip,
				now: at(6 + i)
			});
			expect(r).toEqual({ ok: false, reason: 'invalid' });
		}
		const right = await completeSecondStep(db, config, {
			token,
			factor: { method: 'app', code: totpCode(u.secret, totpStep(at(40))) },
			ip,
			now: at(40)
		});
		expect(right).toMatchObject({ ok: false, reason: 'locked' });
		const password = await signIn(db, config, {
			email: u.email,
			password: TEST_PASSWORD,
			ip,
			now: at(41)
		});
		expect(password).toMatchObject({ ok: false, reason: 'locked', scope: 'account' });
		const recovery = await completeSecondStep(db, config, {
			token,
			factor: { method: 'recovery', code: u.codes[0]! },
			ip,
			now: at(42)
		});
		expect(recovery).toMatchObject({ ok: false, reason: 'locked' });
		expect(useRecoveryCode(db, u.id, u.codes[0]!, at(43))).toBe(true);
	});
});

describe('who must use a second factor', () => {
	it('instance admins always; supervisors and admins of an organization that requires it; never learners', async () => {
		const db = testDb();
		const config = testConfig();
		const root = await makeUser(db, { isInstanceAdmin: true });
		const sup = await makeUser(db);
		const learner = await makeUser(db);
		const orgId = db
			.insert(organization)
			.values({
				slug: 'mfa-org',
				name: 'MFA Org',
				kind: 'department',
				timeZone: 'UTC',
				createdAt: t0
			})
			.returning({ id: organization.id })
			.get().id;
		for (const [userId, role] of [
			[sup.id, 'supervisor'],
			[learner.id, 'learner']
		] as const)
			db.insert(membership).values({ orgId, userId, role, createdAt: t0 }).run();

		expect(mfaRequired(db, root.id)).toBe(true);
		expect(mfaRequired(db, sup.id)).toBe(false);
		const before = await signIn(db, config, {
			email: sup.email,
			password: TEST_PASSWORD,
			ip,
			now: t0
		});
		expect(before).toMatchObject({ ok: true, mustEnrolMfa: false });

		setOrgRequiresMfa(db, { orgId, on: true, actorId: root.id, ip, now: t0 });
		expect(mfaRequired(db, sup.id)).toBe(true);
		expect(mfaRequired(db, learner.id)).toBe(false);
		const after = await signIn(db, config, {
			email: sup.email,
			password: TEST_PASSWORD,
			ip,
			now: at(1)
		});
		expect(after).toMatchObject({ ok: true, mustEnrolMfa: true });
		if (!after.ok) return;
		expect(validateSessionToken(db, config, after.token, at(2))?.session.mustEnrolMfa).toBe(true);

		// Enrolling opens the held session; the last factor of a required account stays.
		startApp(db, sup.id, at(3));
		const secret = listFactors(db, sup.id).pendingApp!.secret;
		expect(
			confirmApp(db, { userId: sup.id, ip, now: at(3) }, totpCode(secret, totpStep(at(3)))).ok
		).toBe(true);
		expect(validateSessionToken(db, config, after.token, at(4))?.session.mustEnrolMfa).toBe(false);
		const appId = listFactors(db, sup.id).apps[0]!.id;
		expect(removeFactorAudited(db, { userId: sup.id, ip, now: at(5) }, 'app', appId).ok).toBe(
			false
		);
		expect(hasMfa(db, sup.id)).toBe(true);
		// A learner may remove theirs; the recovery codes go with the last factor.
		const l = await withApp(db);
		const lApp = listFactors(db, l.id).apps[0]!.id;
		expect(removeFactorAudited(db, { userId: l.id, ip, now: at(6) }, 'app', lApp).ok).toBe(true);
		expect(hasMfa(db, l.id)).toBe(false);
		expect(useRecoveryCode(db, l.id, l.codes[0]!, at(7))).toBe(false);
	});
});
