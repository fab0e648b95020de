import { error } from '@sveltejs/kit';
import { ctx } from '$lib/server/app';
import { signAuditHead } from '$lib/server/records/anchor';
import { recordAudit } from '$lib/server/audit';
import type { RequestHandler } from './$types';

/** The signed "audit head" statement, for the instance admin to keep outside the server. */
export const GET: RequestHandler = async ({ locals, url, getClientAddress }) => {
	if (!locals.user?.isInstanceAdmin) error(403, 'Only instance administrators can download this.');
	const { db, config } = ctx();
	const signed = await signAuditHead(db.$client, config.keysDir, config.origin ?? url.origin);
	recordAudit(db, {
		action: 'audit.head_download',
		outcome: 'success',
		actorId: locals.user.id,
		ip: getClientAddress(),
		detail: { eventId: signed.statement.eventId, head: signed.statement.head }
	});
	const stamp = signed.statement.at.slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
	return new Response(JSON.stringify(signed, null, 2) + '\n', {
		headers: {
			'Content-Type': 'application/json; charset=utf-8',
			'Content-Disposition': `attachment; filename="muster-audit-head-${stamp}Z.json"`,
			'Cache-Control': 'private, no-store'
		}
	});
};
