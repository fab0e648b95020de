import { ctx } from '$lib/server/app';
import { catalog } from '$lib/server/courses';
import { requireOrg } from '$lib/server/orgs/guard';
import { isDay } from '$lib/server/training/days';
import { COMPLETION_COLUMNS, completionRows, csvStream } from '$lib/server/training/exports';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = (event) => {
	const access = requireOrg(event, 'supervisor');
	const p = event.url.searchParams;
	const day = (name: string) => {
		const v = p.get(name)?.trim();
		return v && isDay(v) ? v : undefined;
	};
	const course = p.get('course');
	const filter = {
		from: day('from'),
		to: day('to'),
		course: course && catalog.bySlug.has(course) ? course : undefined,
		groupId: Number(p.get('group')) || undefined
	};
	const body = csvStream(COMPLETION_COLUMNS, completionRows(ctx().db, access.org, catalog, filter));
	return new Response(body, {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8',
			'Content-Disposition': `attachment; filename="${access.org.slug}-completions.csv"`,
			'Cache-Control': 'private, no-store'
		}
	});
};
