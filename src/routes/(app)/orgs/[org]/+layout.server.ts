import { requireOrg } from '$lib/server/orgs/guard';
import type { LayoutServerLoad } from './$types';

// Guards the pages; every action under /orgs/[org] calls requireOrg itself as well.
export const load: LayoutServerLoad = (event) => {
	const access = requireOrg(event, 'supervisor');
	return {
		org: { slug: access.org.slug, name: access.org.name, kind: access.org.kind },
		role: access.role,
		// Staff pages: the wide column, and times in the organization's own zone.
		wide: true,
		timeZone: access.org.timeZone,
		zoneFromOrg: true
	};
};
