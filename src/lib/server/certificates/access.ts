import type { SessionUser } from '../auth/session';
import type { CertificateRecord } from './status';

/**
 * Who may download a certificate's PDF: its holder and instance administrators (the holder's
 * organization's supervisors and admins join with organizations). Everyone else gets a 404,
 * so a guessed code reveals nothing.
 */
export function canDownload(user: SessionUser, cert: Pick<CertificateRecord, 'userId'>): boolean {
	return user.id === cert.userId || user.isInstanceAdmin;
}
