import { redirect } from '@sveltejs/kit';
import { ctx } from '$lib/server/app';
import { catalog } from '$lib/server/courses';
import { buildTranscript } from '$lib/server/training/transcript';
import { renderPdf } from '$lib/server/certificates/render-pool';
import { transcriptFileName } from '$lib/server/training/transcript-file';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, url }) => {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	const { db, config } = ctx();
	const t = buildTranscript(db, catalog, locals.user.id);
	const bytes = await renderPdf({
		kind: 'transcript',
		transcript: t,
		issuedBy: config.instanceName,
		now: new Date()
	});
	return new Response(bytes as unknown as BodyInit, {
		headers: {
			'Content-Type': 'application/pdf',
			'Content-Disposition': `attachment; filename="${transcriptFileName(t.name)}"`,
			'Cache-Control': 'private, no-store'
		}
	});
};
