import type { DB } from '../db';
import { catalog } from '../courses';
import type { CertificateRecord } from '../certificates/status';
import { openBadgeFor, signCredential, type BadgeSettings } from './open-badge';
import { signedStatusList } from './status-list';

/** The signed Open Badges 3.0 credential of a certificate (made once, then served as kept). */
export function credentialJson(db: DB, cert: CertificateRecord, settings: BadgeSettings) {
	return openBadgeFor(db, cert, catalog.bySlug.get(cert.courseSlug), settings);
}

export function statusListJson(db: DB, settings: BadgeSettings) {
	return signedStatusList(db, settings, (c) => signCredential(c, settings));
}

export function credentialResponse(json: string, fileName: string, cache: string): Response {
	return new Response(json + '\n', {
		headers: {
			'Content-Type': 'application/json; charset=utf-8',
			'Content-Disposition': `attachment; filename="${fileName}"`,
			'Cache-Control': cache
		}
	});
}
