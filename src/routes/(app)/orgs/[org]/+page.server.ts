import { ctx } from '$lib/server/app';
import { orgDashboard } from '$lib/server/orgs/records';
import { requireOrg } from '$lib/server/orgs/guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const access = requireOrg(event, 'supervisor');
	return { stats: orgDashboard(ctx().db, access.org.id) };
};
