import { redirect } from '@sveltejs/kit';
import { ctx } from '$lib/server/app';
import { clearSessionCookie } from '$lib/server/auth/cookie';
import { signOut } from '$lib/server/auth/sign-out';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	if (!locals.user) redirect(303, '/login');
};

// The browser's cache may hold pages seen while signed in (on a shared device, the next person
// would see them): sign-out asks the browser to clear it.
const CLEAR = { 'Clear-Site-Data': '"cache"' };

export const actions: Actions = {
	signout: ({ locals, cookies, getClientAddress, setHeaders }) => {
		setHeaders(CLEAR);
		if (locals.session)
			signOut(ctx().db, locals.session, { everywhere: false, ip: getClientAddress() });
		clearSessionCookie(cookies);
		redirect(303, '/login');
	},
	everywhere: ({ locals, cookies, getClientAddress, setHeaders }) => {
		setHeaders(CLEAR);
		if (locals.session)
			signOut(ctx().db, locals.session, { everywhere: true, ip: getClientAddress() });
		clearSessionCookie(cookies);
		redirect(303, '/login');
	}
};
