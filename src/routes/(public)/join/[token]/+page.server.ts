import { error, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { ctx } from '$lib/server/app';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { email, failForm, parseForm, password, text } from '$lib/server/forms';
import { sendEmailVerification } from '$lib/server/auth/verify-email';
import { inspectInvite } from '$lib/server/orgs/invites';
import { joinWithInvite, joinWithNewAccount } from '$lib/server/orgs/join';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params, locals, setHeaders }) => {
	// The token is in the address: no Referer may carry it to another site. `same-origin`, not
	// `no-referrer`: under no-referrer a browser sends `Origin: null` with the page's own form
	// posts, which the cross-site check refuses (the hook used to overwrite the policy, which
	// hid this; now it keeps what a route sets).
	setHeaders({ 'X-Robots-Tag': 'noindex', 'Referrer-Policy': 'same-origin' });
	const invite = inspectInvite(ctx().db, params.token);
	return {
		invite: invite ? { orgName: invite.orgName, email: invite.email, name: invite.name } : null,
		signedInAs: locals.user ? { name: locals.user.name, email: locals.user.email } : null
	};
};

const newAccount = z.object({ name: text('Name', 120), email: email(), password: password() });

const refusals = {
	invalid: 'This invite has expired, was revoked, or has been used up. Ask for a new one.',
	deactivated: 'Your membership in this organization was deactivated. Ask its administrator.',
	wrong_email: 'This invite was sent to another email address.',
	email_taken: 'An account with this email exists already. Sign in to join with it.'
};

export const actions: Actions = {
	create: async ({ request, params, cookies, getClientAddress }) => {
		const form = await parseForm(request, newAccount, ['name', 'email']);
		if (!form.ok) return form.failure;
		const { db, config, mailer } = ctx();
		const result = await joinWithNewAccount(db, config, params.token, {
			...form.data,
			ip: getClientAddress()
		});
		if (!result.ok) {
			const field =
				result.reason === 'weak_password'
					? 'password'
					: result.reason === 'email_taken' || result.reason === 'wrong_email'
						? 'email'
						: 'form';
			const message = result.reason === 'weak_password' ? result.message : refusals[result.reason];
			return failForm(400, { [field]: message }, { name: form.data.name, email: form.data.email });
		}
		setSessionCookie(cookies, result.token, result.expiresAt);
		if (!result.verified) await sendEmailVerification(db, config, mailer, result.userId);
		redirect(303, '/?joined=1');
	},
	join: ({ params, locals }) => {
		if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(`/join/${params.token}`)}`);
		const result = joinWithInvite(ctx().db, params.token, locals.user);
		if (!result.ok) {
			if (result.reason === 'invalid') error(404, refusals.invalid);
			return failForm(400, { form: refusals[result.reason] });
		}
		redirect(303, '/?joined=1');
	}
};
