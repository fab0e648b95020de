import { ctx } from '$lib/server/app';
import { agencyViewFor } from '$lib/server/orgs/policy';
import type { PageServerLoad } from './$types';

// The card is public. A signed-in member also sees their agency's own entries; that copy is
// marked personal so the service worker never keeps it for offline use (a shared phone's
// offline card stays the general one).
export const load: PageServerLoad = ({ locals, setHeaders }) => {
	const agency = locals.user ? agencyViewFor(ctx().db, locals.user.id) : null;
	if (agency) setHeaders({ 'cache-control': 'private, no-store', 'x-muster-personal': '1' });
	return { agency };
};
