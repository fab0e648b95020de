import { error, redirect } from '@sveltejs/kit';
import { ctx } from '$lib/server/app';
import { canDownload } from '$lib/server/certificates/access';
import { normalizeCode } from '$lib/server/certificates/code';
import { findCertificateByCode } from '$lib/server/certificates/status';
import { credentialJson, credentialResponse } from '$lib/server/credentials';
import type { RequestHandler } from './$types';

/** The certificate as a signed Open Badges 3.0 credential, for a wallet: same access as the PDF. */
export const GET: RequestHandler = async ({ params, locals, url }) => {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	const code = normalizeCode(params.code);
	const { db, config } = ctx();
	const cert = code ? findCertificateByCode(db, code) : undefined;
	// Someone else's certificate is "not found", exactly like one that does not exist.
	if (!cert || !canDownload(db, locals.user, cert)) error(404, 'There is no such certificate.');
	const json = await credentialJson(db, cert, {
		origin: config.origin ?? url.origin,
		keysDir: config.keysDir
	});
	return credentialResponse(json, `muster-${cert.code}.json`, 'private, no-store');
};
