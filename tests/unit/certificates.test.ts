import { describe, expect, it } from 'vitest';
import {
	startAttempt,
	submitAttempt,
	takeScenarioStep
} from '../../src/lib/server/assessments/attempts';
import { checkEligibility } from '../../src/lib/server/assessments/eligibility';
import { drawAttempt } from '../../src/lib/server/assessments/draw';
import { canDownload } from '../../src/lib/server/certificates/access';
import {
	CODE_LENGTH,
	formatCode,
	newCertificateCode,
	normalizeCode
} from '../../src/lib/server/certificates/code';
import { addMonths } from '../../src/lib/server/certificates/issue';
import { listCertificates, revokeCertificate } from '../../src/lib/server/certificates/status';
import { verifyCertificate } from '../../src/lib/server/certificates/verify';
import { createRateLimiter } from '../../src/lib/server/rate-limit';
import { addMembership, createOrganization } from '../../src/lib/server/orgs/organizations';
import type { Course } from '../../src/lib/server/courses/catalog';
import type { DB } from '../../src/lib/server/db';
import { answersFor, completeAllModules, scenarioWalk, withRules } from '../fixtures/courses';
import { makeUser, testDb } from '../fixtures/db';

const course = withRules('volunteer-onboarding', { waitMinutes: 0, attempts: 0 });
const days = (t: Date, n: number) => new Date(t.getTime() + n * 86_400_000);
const count = (db: DB, table: string) =>
	(db.$client.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;

/** Passes the course at `now`; returns the new certificate's code. */
function pass(db: DB, userId: number, c: Course, now: Date): string {
	const a = startAttempt(db, userId, c, now);
	if (!a.ok) throw new Error(`cannot start: ${a.reason}`);
	const { seed } = db.$client
		.prepare('select seed from assessment_attempt where id = ?')
		.get(a.attemptId) as { seed: number };
	for (const s of drawAttempt(c.assessment, seed).scenarios) {
		for (const step of scenarioWalk(c, seed, s.question.id, true)) {
			takeScenarioStep(
				db,
				userId,
				c,
				{ attemptId: a.attemptId, questionId: s.question.id, ...step },
				now
			);
		}
	}
	const r = submitAttempt(
		db,
		userId,
		c,
		a.attemptId,
		answersFor(c, seed, true),
		now,
		'Harbor Light Outreach'
	);
	if (!r.ok || !r.passed) throw new Error('did not pass');
	return listCertificates(db, userId)[0]!.code;
}

describe('verification codes', () => {
	it('are 128 random bits in Crockford base32, unique, never derived from ids or dates', () => {
		const codes = new Set(Array.from({ length: 2000 }, newCertificateCode));
		expect(codes.size).toBe(2000);
		for (const c of [...codes].slice(0, 50))
			expect(c).toMatch(new RegExp(`^[0-9A-HJKMNP-TV-Z]{${CODE_LENGTH}}$`));
		expect(CODE_LENGTH * 5).toBeGreaterThanOrEqual(128);
	});

	it('read back however they are typed: spaces, dashes, case, I/L for 1 and O for 0', () => {
		const code = '7KQ2M9XD01ABCDEFGHJKMNPQRS';
		expect(formatCode(code)).toBe('7KQ2-M9XD-01AB-CDEF-GHJK-MNPQ-RS');
		expect(normalizeCode(' 7kq2-m9xd 0iab cdef-ghjk-mnpq-rs ')).toBe(code);
		expect(normalizeCode('7KQ2M9XDOLABCDEFGHJKMNPQRS')).toBe('7KQ2M9XD01ABCDEFGHJKMNPQRS');
		expect(normalizeCode('too short')).toBeNull();
		expect(normalizeCode('7KQ2M9XD01ABCDEFGHJKMNPQRU')).toBeNull(); // U is not in the alphabet
	});
});

describe('issuing', () => {
	it('issues exactly one certificate with the completion, carrying the facts of the day', async () => {
		const db = testDb();
		const u = await makeUser(db, { name: 'Zoë Ñúñez-Łukasiewicz' });
		completeAllModules(db, u.id, course);
		const t0 = new Date('2026-01-31T15:00:00Z');
		const code = pass(db, u.id, course, t0);
		const [cert] = listCertificates(db, u.id);
		expect(cert).toMatchObject({
			code,
			holderName: 'Zoë Ñúñez-Łukasiewicz',
			courseTitle: course.meta.title,
			contentVersion: course.meta.version,
			creditHours: course.meta.creditHours,
			issuer: 'Harbor Light Outreach',
			completedAt: t0,
			expiresAt: addMonths(t0, course.meta.validityMonths!)
		});
		expect(addMonths(t0, 1).toISOString()).toBe('2026-02-28T15:00:00.000Z');
		expect(count(db, 'completion')).toBe(1);
		expect(count(db, 'certificate')).toBe(1);
	});

	it('never issues two under 50 concurrent completions', async () => {
		const db = testDb();
		const u = await makeUser(db);
		completeAllModules(db, u.id, course);
		const results = await Promise.allSettled(
			Array.from({ length: 50 }, () =>
				Promise.resolve().then(() => pass(db, u.id, course, new Date()))
			)
		);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		expect(count(db, 'completion')).toBe(1);
		expect(count(db, 'certificate')).toBe(1);
	});
});

describe('status, expiry, renewal and revocation', () => {
	it('shows valid, then expired with its date; unknown codes are unknown', async () => {
		const db = testDb();
		const u = await makeUser(db);
		completeAllModules(db, u.id, course);
		const t0 = new Date('2026-01-10T12:00:00Z');
		const code = pass(db, u.id, course, t0);
		expect(verifyCertificate(db, code, days(t0, 1))?.status).toBe('valid');
		const later = verifyCertificate(db, formatCode(code).toLowerCase(), days(t0, 400));
		expect(later?.status).toBe('expired');
		expect(later?.expiresAt).toEqual(addMonths(t0, 12));
		expect(verifyCertificate(db, newCertificateCode())).toBeNull();
		expect(verifyCertificate(db, 'nonsense')).toBeNull();
	});

	it('shows only what the certificate itself shows', async () => {
		const db = testDb();
		const u = await makeUser(db, { email: 'private@example.org' });
		completeAllModules(db, u.id, course);
		const code = pass(db, u.id, course, new Date());
		const shown = verifyCertificate(db, code)!;
		expect(Object.keys(shown).sort()).toEqual(
			[
				'completedAt',
				'courseTitle',
				'expiresAt',
				'holderName',
				'issuer',
				'revocationReason',
				'revokedAt',
				'status'
			].sort()
		);
		expect(JSON.stringify(shown)).not.toContain('private@example.org');
	});

	it('lets a learner renew within 60 days of expiry; the old certificate stays in history', async () => {
		const db = testDb();
		const u = await makeUser(db);
		completeAllModules(db, u.id, course);
		const t0 = new Date('2026-01-10T12:00:00Z');
		const first = pass(db, u.id, course, t0);
		expect(checkEligibility(db, u.id, course, days(t0, 200))).toEqual({
			ok: false,
			reason: 'completed'
		});
		const renewAt = days(addMonths(t0, 12), -59);
		expect(checkEligibility(db, u.id, course, renewAt)).toEqual({ ok: true, inProgress: null });
		const second = pass(db, u.id, course, renewAt);
		expect(second).not.toBe(first);
		const all = listCertificates(db, u.id);
		expect(all.map((c) => c.code)).toEqual([second, first]);
		expect(verifyCertificate(db, first, days(addMonths(t0, 12), 1))?.status).toBe('expired');
		expect(verifyCertificate(db, second, days(addMonths(t0, 12), 1))?.status).toBe('valid');
	});

	it('revokes with a reason category, audited, at once; a second revocation is refused', async () => {
		const db = testDb();
		const admin = await makeUser(db, { isInstanceAdmin: true });
		const u = await makeUser(db);
		completeAllModules(db, u.id, course);
		const code = pass(db, u.id, course, new Date());
		expect(
			revokeCertificate(db, {
				code,
				reason: 'issued_in_error',
				note: 'wrong person',
				by: admin.id,
				ip: '10.0.0.1'
			})
		).toEqual({ ok: true });
		const v = verifyCertificate(db, code)!;
		expect(v.status).toBe('revoked');
		expect(v.revocationReason).toBe('Issued in error');
		expect(JSON.stringify(v)).not.toContain('wrong person');
		expect(revokeCertificate(db, { code, reason: 'withdrawn', by: admin.id })).toEqual({
			ok: false,
			reason: 'already_revoked'
		});
		const audit = db.$client
			.prepare(
				"select actor_id as actor, subject_id as subject from audit_event where action = 'certificate.revoke'"
			)
			.all();
		expect(audit).toEqual([{ actor: admin.id, subject: code }]);
	});
});

describe('who may download a PDF', () => {
	it('the holder, staff of the holder’s organization, instance administrators; nobody else', async () => {
		const db = testDb();
		const [holder, supervisor, other, admin] = [
			await makeUser(db),
			await makeUser(db),
			await makeUser(db),
			await makeUser(db, { isInstanceAdmin: true })
		];
		const outsider = await makeUser(db);
		const orgA = createOrganization(
			db,
			{ name: 'A', slug: 'a', kind: 'ngo', timeZone: 'UTC', firstAdmin: { email: admin.email } },
			{ actorId: admin.id }
		);
		const orgB = createOrganization(
			db,
			{ name: 'B', slug: 'b', kind: 'ngo', timeZone: 'UTC', firstAdmin: { email: admin.email } },
			{ actorId: admin.id }
		);
		if (!orgA.ok || !orgB.ok) throw new Error('orgs');
		addMembership(db, { orgId: orgA.orgId, userId: holder.id, role: 'learner' });
		addMembership(db, { orgId: orgA.orgId, userId: supervisor.id, role: 'supervisor' });
		addMembership(db, { orgId: orgA.orgId, userId: other.id, role: 'learner' });
		addMembership(db, { orgId: orgB.orgId, userId: outsider.id, role: 'supervisor' });
		const cert = { userId: holder.id };
		const person = (u: { id: number; email: string }, isInstanceAdmin = false) => ({
			id: u.id,
			email: u.email,
			name: 'x',
			isInstanceAdmin
		});
		expect(canDownload(db, person(holder), cert)).toBe(true);
		expect(canDownload(db, person(supervisor), cert)).toBe(true);
		expect(canDownload(db, person(admin, true), cert)).toBe(true);
		expect(canDownload(db, person(other), cert)).toBe(false);
		expect(canDownload(db, person(outsider), cert)).toBe(false);
	});
});

describe('the verification rate limit', () => {
	it('allows a burst per address per window, then asks it to wait; other addresses are unaffected', () => {
		const limiter = createRateLimiter({ limit: 3, windowMs: 60_000 });
		const t = 1_000_000;
		for (let i = 0; i < 3; i++) expect(limiter.hit('a', t).ok).toBe(true);
		expect(limiter.hit('a', t + 1000)).toEqual({ ok: false, retryAfterSeconds: 59 });
		expect(limiter.hit('b', t + 1000).ok).toBe(true);
		expect(limiter.hit('a', t + 60_000).ok).toBe(true);
	});
});
