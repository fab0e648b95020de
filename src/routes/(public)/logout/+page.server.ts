import { redirect } from '@sveltejs/kit';
import { ctx } from '$lib/server/app';
import { clearSessionCookie } from '$lib/server/auth/cookie';
import { signOut } from '$lib/server/auth/sign-out';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	if (!locals.user) redirect(303, '/login');
};

export const actions: Actions = {
	signout: ({ locals, cookies, getClientAddress }) => {
		if (locals.session)
			signOut(ctx().db, locals.session, { everywhere: false, ip: getClientAddress() });
		clearSessionCookie(cookies);
		redirect(303, '/login');
	},
	everywhere: ({ locals, cookies, getClientAddress }) => {
		if (locals.session)
			signOut(ctx().db, locals.session, { everywhere: true, ip: getClientAddress() });
		clearSessionCookie(cookies);
		redirect(303, '/login');
	}
};
