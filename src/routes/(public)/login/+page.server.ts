import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { ctx } from '$lib/server/app';
import { signIn } from '$lib/server/auth/sign-in';
import { setPendingCookie, setSessionCookie } from '$lib/server/auth/cookie';
import { email, failForm, parseForm, password, safeNext } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, safeNext(url.searchParams.get('next')));
	return { reset: url.searchParams.has('reset') };
};

const schema = z.object({ email: email(), password: password() });

function minutesUntil(when: Date): number {
	return Math.max(1, Math.ceil((when.getTime() - Date.now()) / 60_000));
}

export const actions: Actions = {
	default: async ({ request, cookies, url, getClientAddress }) => {
		const form = await parseForm(request, schema, ['email']);
		if (!form.ok) return form.failure;
		const { db, config } = ctx();
		const next = safeNext(url.searchParams.get('next'));
		const result = await signIn(db, config, { ...form.data, ip: getClientAddress(), next });
		if (result.ok) {
			setSessionCookie(cookies, result.token, result.expiresAt);
			if (result.mustEnrolMfa) redirect(303, `/me/account/mfa?next=${encodeURIComponent(next)}`);
			redirect(303, next);
		}
		if (result.reason === 'second_factor') {
			setPendingCookie(cookies, result.pendingToken, result.expiresAt);
			redirect(303, '/login/mfa');
		}
		const values = { email: form.data.email };
		if (result.reason === 'locked') {
			const minutes = minutesUntil(result.retryAt);
			const who = result.scope === 'account' ? 'this email address' : 'your network';
			const at = result.retryAt.toISOString().slice(11, 16);
			return failForm(
				429,
				{
					form:
						`Too many failed sign-ins for ${who}, so sign-in is paused for your security. ` +
						`Try again in ${minutes} minute${minutes === 1 ? '' : 's'} (after ${at} UTC), or reset your password.`
				},
				values
			);
		}
		return failForm(
			400,
			{ form: 'That email and password do not match an account. Check both and try again.' },
			values
		);
	}
};
