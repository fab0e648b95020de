import type { SessionUser } from '../auth/session';
import type { Queryable } from '../db';
import { supervises } from '../orgs/records';
import type { CertificateRecord } from './status';

/**
 * Who may download a certificate's PDF: its holder, supervisors and admins of an organization
 * the holder belongs to, and instance administrators. Everyone else gets a 404, so a guessed
 * code reveals nothing.
 */
export function canDownload(
	db: Queryable,
	user: SessionUser,
	cert: Pick<CertificateRecord, 'userId'>
): boolean {
	return user.id === cert.userId || user.isInstanceAdmin || supervises(db, user.id, cert.userId);
}
