import { ctx } from '$lib/server/app';
import { confirmEmail, inspectEmailVerification } from '$lib/server/auth/verify-email';
import { failForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

// Opening the link only shows a button: mail scanners open links, and a GET must not use it up.
// `same-origin`, not `no-referrer`: under no-referrer a browser sends `Origin: null` with the
// page's own form, which the cross-site check refuses; same-origin still keeps the token in the
// address from other sites.
export const load: PageServerLoad = ({ params, setHeaders }) => {
	setHeaders({ 'X-Robots-Tag': 'noindex', 'Referrer-Policy': 'same-origin' });
	const found = inspectEmailVerification(ctx().db, params.token);
	return { email: found?.email ?? null };
};

export const actions: Actions = {
	confirm: ({ params, getClientAddress }) => {
		const result = confirmEmail(ctx().db, params.token, getClientAddress());
		if (!result.ok)
			return failForm(400, {
				form: 'This link has expired or was used already. Sign in and ask for a new one on your home page.'
			});
		return { confirmed: true };
	}
};
