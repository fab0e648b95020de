import { ctx } from '$lib/server/app';
import { searchUsers } from '$lib/server/admin';
import { requireInstanceAdmin } from '$lib/server/auth/guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	const admin = requireInstanceAdmin(locals);
	const q = (url.searchParams.get('q') ?? '').slice(0, 254);
	return { q, me: admin.id, users: searchUsers(ctx().db, q) };
};
