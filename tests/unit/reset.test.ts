import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import {
	completePasswordReset,
	createResetLimiter,
	inspectResetToken,
	queuePasswordReset,
	requestPasswordReset
} from '../../src/lib/server/auth/reset';
import { changePassword } from '../../src/lib/server/auth/change-password';
import { checkThrottle } from '../../src/lib/server/auth/throttle';
import { createSession, validateSessionToken } from '../../src/lib/server/auth/session';
import { signIn } from '../../src/lib/server/auth/sign-in';
import { createMailer, type Message } from '../../src/lib/server/mail';
import { makeUser, TEST_PASSWORD, testConfig, testDb } from '../fixtures/db';

const ip = '192.0.2.44';
const origin = 'https://muster.example';
/** Emailed links need a configured public origin (M2). */
const cfg = (env: Record<string, string> = {}) => testConfig({ ORIGIN: origin, ...env });

function capture(): { sent: Message[]; send(m: Message): Promise<void> } {
	const sent: Message[] = [];
	return { sent, send: async (m) => void sent.push(m) };
}

function linkIn(message: Message): string {
	const m = /https:\/\/muster\.example\/reset\/([a-z2-7]+)/.exec(message.text);
	if (!m) throw new Error('no reset link in the message');
	return m[1]!;
}

describe('password reset', () => {
	it('mails a link that works exactly once and ends every session', async () => {
		const db = testDb();
		const config = cfg();
		const mailer = capture();
		const u = await makeUser(db);
		const old = createSession(db, config, u.id, { staff: false });
		await requestPasswordReset(db, config, mailer, { email: u.email.toUpperCase(), ip });
		expect(mailer.sent).toHaveLength(1);
		expect(mailer.sent[0]!.to).toBe(u.email);
		const token = linkIn(mailer.sent[0]!);
		expect(JSON.stringify(db.$client.prepare('select * from password_reset').all())).not.toContain(
			token
		);

		expect(inspectResetToken(db, token)).toEqual({ usable: true, email: u.email });
		const done = await completePasswordReset(db, { token, password: 'a brand new passphrase', ip });
		expect(done.ok).toBe(true);
		expect(validateSessionToken(db, config, old.token)).toBeNull();
		expect(
			(await signIn(db, config, { email: u.email, password: 'a brand new passphrase', ip })).ok
		).toBe(true);

		const twice = await completePasswordReset(db, {
			token,
			password: 'another new passphrase',
			ip
		});
		expect(twice).toEqual({ ok: false, reason: 'invalid_link' });
		expect(inspectResetToken(db, token)).toEqual({ usable: false });
	});

	it('refuses the link after it expires', async () => {
		const db = testDb();
		const config = cfg({ RESET_LINK_MINUTES: '60' });
		const mailer = capture();
		const u = await makeUser(db);
		const t0 = new Date('2026-05-01T12:00:00Z');
		await requestPasswordReset(db, config, mailer, { email: u.email, ip, now: t0 });
		const token = linkIn(mailer.sent[0]!);
		const late = new Date(t0.getTime() + 61 * 60_000);
		expect(inspectResetToken(db, token, late)).toEqual({ usable: false });
		const r = await completePasswordReset(db, {
			token,
			password: 'a brand new passphrase',
			ip,
			now: late
		});
		expect(r).toEqual({ ok: false, reason: 'invalid_link' });
	});

	it('refuses a weak new password and leaves the link usable', async () => {
		const db = testDb();
		const config = cfg();
		const mailer = capture();
		const u = await makeUser(db);
		await requestPasswordReset(db, config, mailer, { email: u.email, ip });
		const token = linkIn(mailer.sent[0]!);
		const r = await completePasswordReset(db, { token, password: 'password123', ip });
		expect(r.ok === false && r.reason).toBe('weak_password');
		expect(inspectResetToken(db, token).usable).toBe(true);
	});

	it('sends nothing for an unknown email but records the attempt', async () => {
		const db = testDb();
		const mailer = capture();
		await requestPasswordReset(db, cfg(), mailer, {
			email: 'ghost@example.org',
			ip
		});
		expect(mailer.sent).toHaveLength(0);
		const row = db.$client
			.prepare('select action, outcome, actor_email as email from audit_event')
			.get();
		expect(row).toEqual({
			action: 'auth.reset_request',
			outcome: 'failure',
			email: 'ghost@example.org'
		});
	});

	it('lets only one of two simultaneous submissions use the link', async () => {
		const db = testDb();
		const config = cfg();
		const mailer = capture();
		const u = await makeUser(db);
		await requestPasswordReset(db, config, mailer, { email: u.email, ip });
		const token = linkIn(mailer.sent[0]!);
		const results = await Promise.all([
			completePasswordReset(db, { token, password: 'first new passphrase', ip }),
			completePasswordReset(db, { token, password: 'second new passphrase', ip })
		]);
		expect(results.filter((r) => r.ok)).toHaveLength(1);
		const completions = db.$client
			.prepare("select count(*) as n from audit_event where action = 'auth.reset_complete'")
			.get();
		expect(completions).toEqual({ n: 1 });
	});
});

describe('mail delivery', () => {
	const received: { to: string[]; data: string }[] = [];
	let server: SMTPServer;
	let port = 0;

	beforeAll(async () => {
		server = new SMTPServer({
			authOptional: true,
			disabledCommands: ['STARTTLS'],
			onData(stream, session, callback) {
				let data = '';
				stream.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
				stream.on('end', () => {
					received.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
					callback();
				});
			}
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		port = (server.server.address() as AddressInfo).port;
	});
	afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

	it('delivers the reset message to a real SMTP server when SMTP_URL is set', async () => {
		const db = testDb();
		const config = cfg({
			SMTP_URL: `smtp://127.0.0.1:${port}`,
			MAIL_FROM: 'Muster <muster@example.org>'
		});
		const u = await makeUser(db);
		await requestPasswordReset(db, config, createMailer(db, config), {
			email: u.email,
			ip
		});
		expect(received).toHaveLength(1);
		expect(received[0]!.to).toEqual([u.email]);
		expect(received[0]!.data).toContain('Subject: Reset your Muster password');
		expect(received[0]!.data).toMatch(/https:\/\/muster\.example\/reset\/[a-z2-7]+/);
		expect(db.$client.prepare('select count(*) as n from outbox').get()).toEqual({ n: 0 });
	});

	it('keeps the message in the outbox when no SMTP server is configured', async () => {
		const db = testDb();
		const config = cfg();
		const u = await makeUser(db);
		const log = console.info;
		console.info = () => {};
		try {
			await requestPasswordReset(db, config, createMailer(db, config), {
				email: u.email,
				ip
			});
		} finally {
			console.info = log;
		}
		const row = db.$client.prepare('select "to", subject, body from outbox').get() as {
			to: string;
			body: string;
		};
		expect(row.to).toBe(u.email);
		expect(row.body).toMatch(/https:\/\/muster\.example\/reset\/[a-z2-7]+/);
	});
});

describe('review findings on password reset', () => {
	it('L3: a completed reset ends every other outstanding link of the account', async () => {
		const db = testDb();
		const config = cfg();
		const mailer = capture();
		const u = await makeUser(db);
		await requestPasswordReset(db, config, mailer, { email: u.email, ip });
		await requestPasswordReset(db, config, mailer, { email: u.email, ip });
		const [first, second] = mailer.sent.map(linkIn);
		const done = await completePasswordReset(db, {
			token: first!,
			password: 'a brand new passphrase',
			ip
		});
		expect(done.ok).toBe(true);
		expect(inspectResetToken(db, second!)).toEqual({ usable: false });
		const r = await completePasswordReset(db, {
			token: second!,
			password: 'the attackers passphrase',
			ip
		});
		expect(r).toEqual({ ok: false, reason: 'invalid_link' });
	});

	it('L3: changing the password on the account page ends links mailed before', async () => {
		const db = testDb();
		const config = cfg();
		const mailer = capture();
		const u = await makeUser(db);
		await requestPasswordReset(db, config, mailer, { email: u.email, ip });
		const token = linkIn(mailer.sent[0]!);
		const changed = await changePassword(db, config, u.id, {
			current: TEST_PASSWORD,
			next: 'a changed passphrase here',
			ip
		});
		expect(changed.ok).toBe(true);
		expect(inspectResetToken(db, token)).toEqual({ usable: false });
	});

	it('L4: a completed reset ends the sign-in lock of the account', async () => {
		const db = testDb();
		const config = cfg();
		const mailer = capture();
		const u = await makeUser(db);
		for (let i = 0; i < 5; i++) await signIn(db, config, { email: u.email, password: 'wrong', ip });
		expect(checkThrottle(db, config, u.email, ip).limited).toBe(true);
		await requestPasswordReset(db, config, mailer, { email: u.email, ip });
		const done = await completePasswordReset(db, {
			token: linkIn(mailer.sent[0]!),
			password: 'a brand new passphrase',
			ip
		});
		expect(done.ok).toBe(true);
		const again = await signIn(db, config, {
			email: u.email,
			password: 'a brand new passphrase',
			ip
		});
		expect(again.ok).toBe(true);
	});

	it('L5: requests are limited per email and per address', () => {
		const limiter = createResetLimiter(
			cfg({ RESET_PER_EMAIL_PER_HOUR: '3', RESET_PER_ADDRESS_PER_HOUR: '10' })
		);
		const t = 1_000_000;
		const victim = 'officer@riverside.muster.test';
		const results = Array.from({ length: 30 }, (_, i) =>
			limiter.allow(i % 2 ? victim : victim.toUpperCase(), `203.0.113.${i}`, t)
		);
		expect(results.filter(Boolean)).toHaveLength(3);
		// one address asking for many emails
		const fromOne = Array.from({ length: 30 }, (_, i) =>
			limiter.allow(`person${i}@example.org`, '198.51.100.9', t)
		);
		expect(fromOne.filter(Boolean)).toHaveLength(10);
		// an hour later both are allowed again
		expect(limiter.allow(victim, '198.51.100.9', t + 60 * 60_000 + 1)).toBe(true);
	});

	it('L6: the request is answered before anything is looked up or mailed', async () => {
		const db = testDb();
		const config = cfg();
		const u = await makeUser(db);
		const calls: Message[] = [];
		// A mail server that never answers.
		const stuck = { send: (m: Message) => (calls.push(m), new Promise<void>(() => {})) };
		const before = db.$client.prepare('select count(*) as n from password_reset').get();
		const returned = queuePasswordReset(db, config, stuck, { email: u.email, ip });
		expect(returned).toBeUndefined(); // not a promise: nothing to wait for
		// Nothing is done while the request is being answered.
		expect(calls).toHaveLength(0);
		expect(db.$client.prepare('select count(*) as n from password_reset').get()).toEqual(before);
		await new Promise((r) => setTimeout(r, 20));
		expect(calls).toHaveLength(1);
		expect(calls[0]!.to).toBe(u.email);
	});

	it('M2: links use the configured origin, never a request; none configured, no mail', async () => {
		const db = testDb();
		const u = await makeUser(db);
		const withOrigin = capture();
		await requestPasswordReset(
			db,
			testConfig({
				ORIGIN: 'https://muster.example',
				PROTOCOL_HEADER: 'x-forwarded-proto',
				HOST_HEADER: 'x-forwarded-host'
			}),
			withOrigin,
			{ email: u.email, ip }
		);
		expect(withOrigin.sent[0]!.text).toContain('https://muster.example/reset/');
		const explicit = capture();
		await requestPasswordReset(
			db,
			testConfig({ MUSTER_ORIGIN: 'https://training.example.org/', HOST_HEADER: 'x-host' }),
			explicit,
			{ email: u.email, ip }
		);
		expect(explicit.sent[0]!.text).toContain('https://training.example.org/reset/');
		const none = capture();
		const errors: unknown[] = [];
		const log = console.error;
		console.error = (...a: unknown[]) => void errors.push(a.join(' '));
		try {
			await requestPasswordReset(
				db,
				testConfig({ PROTOCOL_HEADER: 'x-forwarded-proto', HOST_HEADER: 'x-forwarded-host' }),
				none,
				{ email: u.email, ip }
			);
		} finally {
			console.error = log;
		}
		expect(none.sent).toHaveLength(0);
		expect(String(errors[0])).toMatch(/not sent.*ORIGIN/);
	});
});
