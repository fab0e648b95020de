import { ctx } from '$lib/server/app';
import { catalog } from '$lib/server/courses';
import { requireOrg } from '$lib/server/orgs/guard';
import { MIN_ANSWERS, scenarioInsights } from '$lib/server/training/insights';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const access = requireOrg(event, 'supervisor');
	return { courses: scenarioInsights(ctx().db, access.org.id, catalog), minAnswers: MIN_ANSWERS };
};
