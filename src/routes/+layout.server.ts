import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => {
	const u = locals.user;
	return { user: u ? { name: u.name, email: u.email, isInstanceAdmin: u.isInstanceAdmin } : null };
};
