import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { ctx } from '$lib/server/app';
import { clearPendingCookie, setSessionCookie } from '$lib/server/auth/cookie';
import { failForm, parseForm, text } from '$lib/server/forms';
import { mailMfaChange } from '$lib/server/mfa/factors';
import { passkeySignInOptions, relyingParty } from '$lib/server/mfa/passkey';
import {
	completeSecondStep,
	MFA_COOKIE,
	pendingMethods,
	validatePending,
	type SecondFactor
} from '$lib/server/mfa/pending';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async ({ cookies, url }) => {
	const { db, config } = ctx();
	const pending = validatePending(db, cookies.get(MFA_COOKIE) ?? '');
	if (!pending) {
		clearPendingCookie(cookies);
		redirect(303, '/login');
	}
	const methods = pendingMethods(db, pending.userId);
	const passkeyOptions = methods.passkey
		? await passkeySignInOptions(db, relyingParty(config, url), {
				userId: pending.userId,
				pendingId: pending.id,
				now: new Date()
			})
		: null;
	return { methods, passkeyOptions };
};

const codeSchema = z.object({ code: text('Code', 64) });
const passkeySchema = z.object({ response: text('Passkey answer', 20_000) });

async function finish(event: RequestEvent, factor: SecondFactor) {
	const { db, config, mailer } = ctx();
	const result = await completeSecondStep(db, config, {
		token: event.cookies.get(MFA_COOKIE) ?? '',
		factor,
		ip: event.getClientAddress()
	});
	if (result.ok) {
		setSessionCookie(event.cookies, result.token, result.expiresAt);
		clearPendingCookie(event.cookies);
		if (factor.method === 'recovery') {
			await mailMfaChange(db, config, mailer, {
				userId: result.userId,
				what: `A recovery code was used to sign in (${result.recoveryLeft} left)`,
				now: new Date()
			});
		}
		redirect(303, result.next);
	}
	const field = factor.method === 'passkey' ? 'form' : factor.method;
	if (result.reason === 'expired') {
		clearPendingCookie(event.cookies);
		return failForm(400, {
			form: 'This sign-in has expired (it lasts 10 minutes). Sign in with your password again.',
			expired: '1'
		});
	}
	if (result.reason === 'locked') {
		const at = result.retryAt.toISOString().slice(11, 16);
		return failForm(429, {
			form: `Too many failed sign-ins, so sign-in is paused for your security. Try again after ${at} UTC.`
		});
	}
	return failForm(400, {
		[field]:
			factor.method === 'app'
				? 'That code is not right, or it was already used. Enter the code your app shows now.'
				: factor.method === 'recovery'
					? 'That recovery code is not right or was already used.'
					: 'The passkey could not be checked. Try again, or use another way below.'
	});
}

export const actions: Actions = {
	app: async (event) => {
		const form = await parseForm(event.request, codeSchema);
		if (!form.ok) return failForm(400, { app: form.failure.data.errors.code ?? 'Enter a code.' });
		return finish(event, { method: 'app', code: form.data.code });
	},
	recovery: async (event) => {
		const form = await parseForm(event.request, codeSchema);
		if (!form.ok)
			return failForm(400, { recovery: form.failure.data.errors.code ?? 'Enter a code.' });
		return finish(event, { method: 'recovery', code: form.data.code });
	},
	passkey: async (event) => {
		const form = await parseForm(event.request, passkeySchema);
		if (!form.ok) return form.failure;
		const { config } = ctx();
		return finish(event, {
			method: 'passkey',
			response: form.data.response,
			rp: relyingParty(config, event.url)
		});
	}
};
