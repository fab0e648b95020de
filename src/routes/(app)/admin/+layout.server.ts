import { requireInstanceAdmin } from '$lib/server/auth/guard';
import type { LayoutServerLoad } from './$types';

// Guards the admin pages; each page's load and actions check again (a layout guard does not
// protect actions).
export const load: LayoutServerLoad = ({ locals }) => {
	requireInstanceAdmin(locals);
	return { wide: true };
};
