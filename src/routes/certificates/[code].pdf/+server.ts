import { error, redirect } from '@sveltejs/kit';
import { ctx } from '$lib/server/app';
import { canDownload } from '$lib/server/certificates/access';
import { normalizeCode } from '$lib/server/certificates/code';
import { certificatePdf } from '$lib/server/certificates/document';
import { findCertificateByCode } from '$lib/server/certificates/status';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, locals, url }) => {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	const code = normalizeCode(params.code);
	const { db, config } = ctx();
	const cert = code ? findCertificateByCode(db, code) : undefined;
	// Someone else's certificate is "not found", exactly like one that does not exist.
	if (!cert || !canDownload(db, locals.user, cert)) error(404, 'There is no such certificate.');
	const { bytes, fileName } = await certificatePdf(cert, config.origin ?? url.origin);
	return new Response(bytes as unknown as BodyInit, {
		headers: {
			'Content-Type': 'application/pdf',
			'Content-Disposition': `attachment; filename="${fileName}"`,
			'Cache-Control': 'private, no-store'
		}
	});
};
