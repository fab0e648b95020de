import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { ctx } from '$lib/server/app';
import { completePasswordReset, inspectResetToken } from '$lib/server/auth/reset';
import { failForm, parseForm, password } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params }) => {
	const state = inspectResetToken(ctx().db, params.token);
	return { usable: state.usable };
};

const schema = z
	.object({ password: password('New password'), confirm: password('Repeat the new password') })
	.refine((v) => v.password === v.confirm, {
		path: ['confirm'],
		message: 'The two passwords do not match.'
	});

export const actions: Actions = {
	default: async ({ request, params, getClientAddress }) => {
		const form = await parseForm(request, schema);
		if (!form.ok) return form.failure;
		const result = await completePasswordReset(ctx().db, {
			token: params.token,
			password: form.data.password,
			ip: getClientAddress()
		});
		if (result.ok) redirect(303, '/login?reset=1');
		if (result.reason === 'weak_password') {
			return failForm(400, { password: result.message });
		}
		return failForm(400, { form: 'This link has expired or was already used. Ask for a new one.' });
	}
};
