import { z } from 'zod';
import { ctx } from '$lib/server/app';
import { requestPasswordReset } from '$lib/server/auth/reset';
import { email, parseForm } from '$lib/server/forms';
import type { Actions } from './$types';

const schema = z.object({ email: email() });

export const actions: Actions = {
	default: async ({ request, url, getClientAddress }) => {
		const form = await parseForm(request, schema, ['email']);
		if (!form.ok) return form.failure;
		const { db, config, mailer } = ctx();
		const origin = config.origin ?? url.origin;
		try {
			await requestPasswordReset(db, config, mailer, {
				email: form.data.email,
				ip: getClientAddress(),
				origin
			});
		} catch (error) {
			// The mail server failed: say so rather than pretend a message is on its way.
			console.error('[reset] could not send mail', error);
			return { sent: false, failed: true };
		}
		return { sent: true, email: form.data.email };
	}
};
