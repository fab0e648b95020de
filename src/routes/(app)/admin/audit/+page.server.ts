import { ctx } from '$lib/server/app';
import { listAuditTrail } from '$lib/server/admin';
import { requireInstanceAdmin } from '$lib/server/auth/guard';
import { auditChainStatus } from '$lib/server/records/check';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	requireInstanceAdmin(locals);
	const { db } = ctx();
	return { audit: listAuditTrail(db, 50), chain: auditChainStatus(db) };
};
