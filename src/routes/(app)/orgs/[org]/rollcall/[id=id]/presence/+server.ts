import { error, json } from '@sveltejs/kit';
import { ctx } from '$lib/server/app';
import { requireOrg } from '$lib/server/orgs/guard';
import { findSession, presence } from '$lib/server/rollcall/sessions';
import type { RequestHandler } from './$types';

/** Who has joined, for the presenter to poll: a count and names, never cached. */
export const GET: RequestHandler = (event) => {
	const access = requireOrg(event, 'supervisor');
	const { db } = ctx();
	const found = findSession(db, access.org.id, Number(event.params.id));
	if (!found) error(404, 'There is no such roll-call session.');
	return json(
		{ ...presence(db, found.id), closed: found.closedAt !== null },
		{ headers: { 'cache-control': 'no-store' } }
	);
};
