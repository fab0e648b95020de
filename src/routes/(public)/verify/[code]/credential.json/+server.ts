import { error } from '@sveltejs/kit';
import { ctx } from '$lib/server/app';
import { normalizeCode } from '$lib/server/certificates/code';
import { findCertificateByCode } from '$lib/server/certificates/status';
import { allowVerification } from '$lib/server/certificates/verify';
import { credentialJson, credentialResponse } from '$lib/server/credentials';
import type { RequestHandler } from './$types';

/**
 * The signed credential offered on the public verification page (whoever has the code sees
 * the certificate already; the holder's email is only in it salted and hashed).
 */
export const GET: RequestHandler = async ({ params, url, getClientAddress }) => {
	const { db, config } = ctx();
	const allowed = allowVerification(config, getClientAddress());
	if (!allowed.ok)
		error(429, `Too many look-ups. Try again in ${allowed.retryAfterSeconds} seconds.`);
	const code = normalizeCode(params.code.slice(0, 100));
	const cert = code ? findCertificateByCode(db, code) : undefined;
	if (!cert) error(404, 'No certificate has this code.');
	const json = await credentialJson(db, cert, {
		origin: config.origin ?? url.origin,
		keysDir: config.keysDir
	});
	return credentialResponse(json, `muster-${cert.code}.json`, 'no-store');
};
