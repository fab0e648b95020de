import { ctx } from '$lib/server/app';
import { listMyOrganizations } from '$lib/server/orgs/access';
import type { LayoutServerLoad } from './$types';

// The server's own zone: the time zone of pages for people who belong to no organization, until
// the browser's zone replaces it (LocalTime.svelte).
const serverZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export const load: LayoutServerLoad = ({ locals }) => {
	const u = locals.user;
	if (!u) return { user: null, timeZone: serverZone, zoneFromOrg: false };
	const orgs = listMyOrganizations(ctx().db, u.id);
	return {
		user: {
			name: u.name,
			email: u.email,
			isInstanceAdmin: u.isInstanceAdmin,
			// Only staff have organization pages; a learner's "Organizations" link would be a dead end.
			staff: u.isInstanceAdmin || orgs.some((o) => o.role !== 'learner')
		},
		// Times on a page are in the organization's zone; /orgs/[org] pages override with their own.
		timeZone: orgs[0]?.timeZone ?? serverZone,
		zoneFromOrg: orgs.length > 0
	};
};
