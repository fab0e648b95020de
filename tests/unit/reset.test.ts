import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import {
	completePasswordReset,
	inspectResetToken,
	requestPasswordReset
} from '../../src/lib/server/auth/reset';
import { createSession, validateSessionToken } from '../../src/lib/server/auth/session';
import { signIn } from '../../src/lib/server/auth/sign-in';
import { createMailer, type Message } from '../../src/lib/server/mail';
import { makeUser, testConfig, testDb } from '../fixtures/db';

const ip = '192.0.2.44';
const origin = 'https://muster.example';

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
		const config = testConfig();
		const mailer = capture();
		const u = await makeUser(db);
		const old = createSession(db, config, u.id, { staff: false });
		await requestPasswordReset(db, config, mailer, { email: u.email.toUpperCase(), ip, origin });
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
		const config = testConfig({ RESET_LINK_MINUTES: '60' });
		const mailer = capture();
		const u = await makeUser(db);
		const t0 = new Date('2026-05-01T12:00:00Z');
		await requestPasswordReset(db, config, mailer, { email: u.email, ip, origin, now: t0 });
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
		const config = testConfig();
		const mailer = capture();
		const u = await makeUser(db);
		await requestPasswordReset(db, config, mailer, { email: u.email, ip, origin });
		const token = linkIn(mailer.sent[0]!);
		const r = await completePasswordReset(db, { token, password: 'password123', ip });
		expect(r.ok === false && r.reason).toBe('weak_password');
		expect(inspectResetToken(db, token).usable).toBe(true);
	});

	it('sends nothing for an unknown email but records the attempt', async () => {
		const db = testDb();
		const mailer = capture();
		await requestPasswordReset(db, testConfig(), mailer, {
			email: 'ghost@example.org',
			ip,
			origin
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
		const config = testConfig();
		const mailer = capture();
		const u = await makeUser(db);
		await requestPasswordReset(db, config, mailer, { email: u.email, ip, origin });
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
		const config = testConfig({
			SMTP_URL: `smtp://127.0.0.1:${port}`,
			MAIL_FROM: 'Muster <muster@example.org>'
		});
		const u = await makeUser(db);
		await requestPasswordReset(db, config, createMailer(db, config), {
			email: u.email,
			ip,
			origin
		});
		expect(received).toHaveLength(1);
		expect(received[0]!.to).toEqual([u.email]);
		expect(received[0]!.data).toContain('Subject: Reset your Muster password');
		expect(received[0]!.data).toMatch(/https:\/\/muster\.example\/reset\/[a-z2-7]+/);
		expect(db.$client.prepare('select count(*) as n from outbox').get()).toEqual({ n: 0 });
	});

	it('keeps the message in the outbox when no SMTP server is configured', async () => {
		const db = testDb();
		const config = testConfig();
		const u = await makeUser(db);
		const log = console.info;
		console.info = () => {};
		try {
			await requestPasswordReset(db, config, createMailer(db, config), {
				email: u.email,
				ip,
				origin
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
