import { error, redirect } from '@sveltejs/kit';
import { ctx } from '$lib/server/app';
import { runChainCheck } from '$lib/server/records/check';
import type { RequestHandler } from './$types';

/** "Verify the chain now" from the audit view: a plain form post (SvelteKit checks its origin). */
export const POST: RequestHandler = async ({ locals }) => {
	if (!locals.user?.isInstanceAdmin) error(403, 'Only instance administrators can do this.');
	const { db, config } = ctx();
	await runChainCheck(db, config.databaseUrl);
	redirect(303, '/admin/audit#chain-heading');
};
