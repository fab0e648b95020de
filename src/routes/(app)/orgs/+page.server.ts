import { ctx } from '$lib/server/app';
import { listMyOrganizations } from '$lib/server/orgs/access';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => ({
	orgs: listMyOrganizations(ctx().db, locals.user!.id)
});
