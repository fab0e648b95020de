import { ctx } from '$lib/server/app';
import { listOutbox } from '$lib/server/admin';
import { requireInstanceAdmin } from '$lib/server/auth/guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	requireInstanceAdmin(locals);
	const { db, config } = ctx();
	return { smtp: Boolean(config.smtpUrl), outbox: listOutbox(db) };
};
