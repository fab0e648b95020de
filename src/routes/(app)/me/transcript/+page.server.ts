import { ctx } from '$lib/server/app';
import { catalog } from '$lib/server/courses';
import { buildTranscript } from '$lib/server/training/transcript';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	const t = buildTranscript(ctx().db, catalog, locals.user!.id);
	return { transcript: t };
};
