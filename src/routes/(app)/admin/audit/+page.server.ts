import { ctx } from '$lib/server/app';
import { listAuditTrail } from '$lib/server/admin';
import { requireInstanceAdmin } from '$lib/server/auth/guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	requireInstanceAdmin(locals);
	return { audit: listAuditTrail(ctx().db, 50) };
};
