import { ctx } from '$lib/server/app';
import { listAuditTrail } from '$lib/server/admin';
import { requireOrg } from '$lib/server/orgs/guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const access = requireOrg(event, 'admin');
	return { audit: listAuditTrail(ctx().db, 100, access.org.id) };
};
