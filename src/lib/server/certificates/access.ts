import type { SessionUser } from '../auth/session';
import type { Queryable } from '../db';
import { supervises } from '../orgs/records';
import type { CertificateRecord } from './status';

/**
 * Who may download a certificate's PDF: its holder, instance administrators, and active
 * supervisors and admins of an organization where the holder is an active member, a membership
 * the holder accepted themselves (see `supervises` and the rule on `memberTranscript`). An
 * invitation not yet accepted, a deactivated or a left membership gives nothing. Everyone else
 * gets a 404, so a guessed code reveals nothing.
 */
export function canDownload(
	db: Queryable,
	user: Pick<SessionUser, 'id' | 'isInstanceAdmin'>,
	cert: Pick<CertificateRecord, 'userId'>
): boolean {
	return user.id === cert.userId || user.isInstanceAdmin || supervises(db, user.id, cert.userId);
}
