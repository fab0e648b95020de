import { error } from '@sveltejs/kit';
import { ctx } from '$lib/server/app';
import { catalog } from '$lib/server/courses';
import { requireOrg } from '$lib/server/orgs/guard';
import { findMember } from '$lib/server/orgs/members';
import { buildTranscript } from '$lib/server/training/transcript';
import { renderPdf } from '$lib/server/certificates/render-pool';
import { transcriptFileName } from '$lib/server/training/transcript-file';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const access = requireOrg(event, 'supervisor');
	const { db } = ctx();
	const member = findMember(db, access.org.id, Number(event.params.id));
	if (!member) error(404, 'There is no such member in this organization.');
	// The H1 rule: an organization sees a person's records only through an active membership.
	if (!member.active)
		error(404, 'Their training record is shown only while their membership is active.');
	const t = buildTranscript(db, catalog, member.userId, { orgId: access.org.id });
	const bytes = await renderPdf({
		kind: 'transcript',
		transcript: t,
		issuedBy: access.org.name,
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
