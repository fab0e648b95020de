import { z } from 'zod';
import { ctx } from '$lib/server/app';
import { createResetLimiter, queuePasswordReset } from '$lib/server/auth/reset';
import { email, failForm, parseForm } from '$lib/server/forms';
import type { Actions } from './$types';

const schema = z.object({ email: email() });

let limiter: ReturnType<typeof createResetLimiter> | undefined;

export const actions: Actions = {
	default: async ({ request, getClientAddress }) => {
		const form = await parseForm(request, schema, ['email']);
		if (!form.ok) return form.failure;
		const { db, config, mailer } = ctx();
		const ip = getClientAddress();
		limiter ??= createResetLimiter(config);
		if (!limiter.allow(form.data.email, ip)) {
			return failForm(
				429,
				{
					form:
						'Too many reset requests for this email address or from your network. ' +
						'Check your inbox (and spam folder) for a link already sent, or try again in an hour.'
				},
				{ email: form.data.email }
			);
		}
		// Answer first; the look-up and the mail happen after, so the answer's timing says
		// nothing about whether the email has an account.
		queuePasswordReset(db, config, mailer, { email: form.data.email, ip });
		return { sent: true, email: form.data.email };
	}
};
