import { ctx } from '$lib/server/app';
import { catalog } from '$lib/server/courses';
import { requireOrg } from '$lib/server/orgs/guard';
import { csvStream, STATUS_COLUMNS, statusRows } from '$lib/server/training/exports';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = (event) => {
	const access = requireOrg(event, 'supervisor');
	const body = csvStream(STATUS_COLUMNS, statusRows(ctx().db, access.org, catalog));
	return new Response(body, {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8',
			'Content-Disposition': `attachment; filename="${access.org.slug}-status.csv"`,
			'Cache-Control': 'private, no-store'
		}
	});
};
