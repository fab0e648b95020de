import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { accountActions, accountLoad } from '$lib/server/account/actions';
import { ctx } from '$lib/server/app';
import { changePassword } from '$lib/server/auth/change-password';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { failForm, parseForm, password } from '$lib/server/forms';
import { remindersSentTo } from '$lib/server/training/reminders';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const { locals, url } = event;
	return {
		email: locals.user!.email,
		changed: url.searchParams.has('changed'),
		account: accountLoad(event),
		reminders: remindersSentTo(ctx().db, locals.user!.id)
	};
};

const schema = z
	.object({
		current: password('Current password'),
		password: password('New password'),
		confirm: password('Repeat the new password')
	})
	.refine((v) => v.password === v.confirm, {
		path: ['confirm'],
		message: 'The two passwords do not match.'
	});

export const actions: Actions = {
	...accountActions,
	password: async ({ request, locals, cookies, getClientAddress }) => {
		if (!locals.user) redirect(303, '/login');
		const form = await parseForm(request, schema);
		if (!form.ok) return form.failure;
		const { db, config } = ctx();
		const result = await changePassword(db, config, locals.user.id, {
			current: form.data.current,
			next: form.data.password,
			ip: getClientAddress()
		});
		if (!result.ok) return failForm(400, { [result.field]: result.message });
		setSessionCookie(cookies, result.token, result.expiresAt);
		redirect(303, '/me/account?changed=1');
	}
};
