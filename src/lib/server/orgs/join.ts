import type { Config } from '../config';
import type { DB } from '../db';
import { user } from '../db/schema';
import { checkPasswordPolicy, hashPassword } from '../auth/password';
import { createSession } from '../auth/session';
import { recordAudit } from '../audit';
import { findUserByEmail, isStaff, normalizeEmail } from '../users';
import { acceptInvite, inspectInvite } from './invites';

export type JoinResult =
	| { ok: true; token: string; expiresAt: Date; userId: number; verified: boolean }
	| { ok: false; reason: 'invalid' | 'deactivated' | 'wrong_email' | 'email_taken' }
	| { ok: false; reason: 'weak_password'; message: string };

/**
 * A newcomer creates an account through an invite: account, membership and session at once.
 * Through a shared link (no email on the invite) the account starts UNVERIFIED: the caller
 * mails a verification link, and until it is used no organization can bind the account by
 * email (imports and invitations find nothing for it), and it expires after 7 days. Through a
 * personal invite the token came to that very mailbox, so the account starts verified.
 */
export async function joinWithNewAccount(
	db: DB,
	config: Config,
	token: string,
	input: { name: string; email: string; password: string; ip: string }
): Promise<JoinResult> {
	const email = normalizeEmail(input.email);
	const view = inspectInvite(db, token);
	if (!view) return { ok: false, reason: 'invalid' };
	if (view.email && view.email !== email) return { ok: false, reason: 'wrong_email' };
	if (findUserByEmail(db, email)) return { ok: false, reason: 'email_taken' };
	const weak = checkPasswordPolicy(input.password, [email, input.name]);
	if (weak) return { ok: false, reason: 'weak_password', message: weak };
	const passwordHash = await hashPassword(input.password);
	const now = new Date();
	try {
		return db.transaction((tx) => {
			const userId = tx
				.insert(user)
				.values({
					email,
					name: input.name.trim(),
					passwordHash,
					emailVerifiedAt: null,
					createdAt: now,
					passwordChangedAt: now
				})
				.returning({ id: user.id })
				.get().id;
			const accepted = acceptInvite(tx, token, { id: userId, email }, now);
			if (!accepted.ok) {
				tx.rollback();
				return { ok: false as const, reason: accepted.reason };
			}
			recordAudit(tx, {
				action: 'auth.sign_up',
				outcome: 'success',
				actorId: userId,
				ip: input.ip,
				at: now
			});
			const session = createSession(tx, config, userId, {
				staff: isStaff(tx, userId),
				ip: input.ip,
				now
			});
			return { ok: true as const, ...session, userId, verified: view.email !== null };
		});
	} catch (e) {
		// A second tab created the same account a moment earlier: the unique email index refused it.
		if (findUserByEmail(db, email)) return { ok: false, reason: 'email_taken' };
		if (e instanceof Error && e.message.includes('Rollback'))
			return { ok: false, reason: 'invalid' };
		throw e;
	}
}

/** A signed-in person joins with an invite. */
export function joinWithInvite(db: DB, token: string, viewer: { id: number; email: string }) {
	return db.transaction((tx) => acceptInvite(tx, token, viewer));
}
