import { redirect } from '@sveltejs/kit';
import { mfaGateOpen } from '$lib/server/mfa/gate';
import type { LayoutServerLoad } from './$types';

// Guards the pages of the group; every action still checks the user itself.
export const load: LayoutServerLoad = ({ locals, url }) => {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	if (locals.session?.mustEnrolMfa && !mfaGateOpen(url))
		redirect(303, `/me/account/mfa?next=${encodeURIComponent(url.pathname + url.search)}`);
};
