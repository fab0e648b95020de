import nodemailer from 'nodemailer';
import type { Config } from './config';
import type { DB } from './db';
import { outbox } from './db/schema';

export interface Message {
	to: string;
	subject: string;
	text: string;
}

export interface Mailer {
	send(message: Message): Promise<void>;
}

/**
 * With SMTP_URL set, mail goes through nodemailer to that server. Without it (the embedded
 * default) each message is kept in the outbox table, readable by the instance admin at
 * /admin, and written to the server log so a local operator can act on it.
 */
export function createMailer(db: DB, config: Pick<Config, 'smtpUrl' | 'mailFrom'>): Mailer {
	if (config.smtpUrl) {
		const transport = nodemailer.createTransport(config.smtpUrl);
		return {
			async send(message) {
				await transport.sendMail({ from: config.mailFrom, ...message });
			}
		};
	}
	return {
		async send(message) {
			db.insert(outbox)
				.values({
					createdAt: new Date(),
					to: message.to,
					subject: message.subject,
					body: message.text
				})
				.run();
			console.info(`[mail] to ${message.to}: ${message.subject}\n${message.text}`);
		}
	};
}
