import { ctx } from '$lib/server/app';
import { requireInstanceAdmin } from '$lib/server/auth/guard';
import { listOutbox } from '$lib/server/admin';
import { listOrganizations } from '$lib/server/orgs/organizations';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	requireInstanceAdmin(locals);
	const { db, config } = ctx();
	return {
		organizations: listOrganizations(db).length,
		outbox: config.smtpUrl ? null : listOutbox(db, 100).length
	};
};
