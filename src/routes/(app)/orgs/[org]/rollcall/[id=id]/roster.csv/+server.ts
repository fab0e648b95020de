import { error } from '@sveltejs/kit';
import { ctx } from '$lib/server/app';
import { catalog } from '$lib/server/courses';
import { requireOrg } from '$lib/server/orgs/guard';
import { rosterCsv } from '$lib/server/rollcall/csv';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = (event) => {
	const access = requireOrg(event, 'supervisor');
	const csv = rosterCsv(ctx().db, catalog, access.org.id, Number(event.params.id));
	if (!csv) error(404, 'There is no such roll-call session.');
	return new Response(csv.text, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${csv.fileName}"`,
			'cache-control': 'no-store'
		}
	});
};
