import { error } from '@sveltejs/kit';
import { ctx } from '$lib/server/app';
import { formatCode, normalizeCode } from '$lib/server/certificates/code';
import { allowVerification, verifyCertificate } from '$lib/server/certificates/verify';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params, getClientAddress, setHeaders }) => {
	const { db, config } = ctx();
	// Status can change at any moment (a revocation): never cache, never index.
	setHeaders({
		'X-Robots-Tag': 'noindex',
		'Cache-Control': 'no-store',
		'Referrer-Policy': 'no-referrer'
	});
	const allowed = allowVerification(config, getClientAddress());
	if (!allowed.ok) {
		setHeaders({ 'Retry-After': String(allowed.retryAfterSeconds) });
		error(
			429,
			`Too many look-ups from your network. Try again in ${allowed.retryAfterSeconds} seconds.`
		);
	}
	const code = normalizeCode(params.code.slice(0, 100));
	return {
		code: code ? formatCode(code) : params.code.slice(0, 100),
		raw: code ?? '',
		certificate: code ? verifyCertificate(db, code) : null
	};
};
