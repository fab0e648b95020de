import { ctx } from '$lib/server/app';
import { listGroups, listMembers } from '$lib/server/orgs/members';
import { requireOrg } from '$lib/server/orgs/guard';
import { ROLES, type Role } from '$lib/server/db/schema';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const access = requireOrg(event, 'supervisor');
	const { db } = ctx();
	const p = event.url.searchParams;
	const role = ROLES.find((r) => r === p.get('role')) as Role | undefined;
	const groupId = Number(p.get('group')) || undefined;
	const q = (p.get('q') ?? '').slice(0, 100);
	const page = Math.max(1, Math.min(100_000, Number(p.get('page')) || 1));
	return {
		filter: { q, role: role ?? '', group: groupId ?? 0 },
		groups: listGroups(db, access.org.id).map(({ id, name }) => ({ id, name })),
		members: listMembers(db, access.org.id, { q, role, groupId, page })
	};
};
