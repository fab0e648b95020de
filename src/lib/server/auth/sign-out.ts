import type { DB } from '../db';
import { recordAudit } from '../audit';
import { invalidateSession, invalidateUserSessions, type ValidSession } from './session';

/** Ends this session, or every session of its user, and records it. */
export function signOut(
	db: DB,
	session: ValidSession,
	opts: { everywhere: boolean; ip?: string | null }
): void {
	db.transaction((tx) => {
		const ended = opts.everywhere
			? invalidateUserSessions(tx, session.userId)
			: (invalidateSession(tx, session.id), 1);
		recordAudit(tx, {
			action: opts.everywhere ? 'auth.sign_out_everywhere' : 'auth.sign_out',
			outcome: 'success',
			actorId: session.userId,
			ip: opts.ip,
			detail: { sessionsEnded: ended }
		});
	});
}
