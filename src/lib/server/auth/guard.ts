import { error } from '@sveltejs/kit';

/** The signed-in instance administrator, or a 403: every /admin load and action calls it. */
export function requireInstanceAdmin(locals: App.Locals): { id: number } {
	if (!locals.user?.isInstanceAdmin) error(403, 'Only instance administrators can open this page.');
	return locals.user;
}
