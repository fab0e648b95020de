import { fail, redirect } from '@sveltejs/kit';
import QRCode from 'qrcode';
import { z } from 'zod';
import { ctx } from '$lib/server/app';
import { failForm, parseForm, safeNext, text } from '$lib/server/forms';
import {
	confirmApp,
	enrolPasskey,
	removeFactorAudited,
	renewRecoveryCodes,
	startApp
} from '$lib/server/mfa/enrol';
import { listFactors, mailMfaChange, mfaRequired } from '$lib/server/mfa/factors';
import { passkeyRegistrationOptions, relyingParty } from '$lib/server/mfa/passkey';
import { totpUri } from '$lib/server/mfa/totp';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const { db, config } = ctx();
	const user = locals.user!;
	const factors = listFactors(db, user.id);
	const { pendingApp, ...rest } = factors;
	let app = null;
	if (pendingApp) {
		const uri = totpUri(pendingApp.secret, config.instanceName, user.email);
		const svg = await QRCode.toString(uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
		app = {
			secret: pendingApp.secret.match(/.{1,4}/g)!.join(' '),
			qr: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`
		};
	}
	const passkeyOptions = await passkeyRegistrationOptions(db, relyingParty(config, url), {
		userId: user.id,
		sessionId: locals.session!.id,
		now: new Date()
	});
	const next = url.searchParams.get('next');
	return {
		...rest,
		pendingApp: app,
		passkeyOptions,
		required: mfaRequired(db, user.id),
		mustEnrol: locals.session!.mustEnrolMfa,
		next: next ? safeNext(next) : null,
		saved: url.searchParams.get('saved')
	};
};

function who(event: RequestEvent) {
	if (!event.locals.user || !event.locals.session) redirect(303, '/login');
	return { userId: event.locals.user.id, ip: event.getClientAddress(), now: new Date() };
}

/** Back to this page, keeping where the person was going. */
function back(event: RequestEvent, saved: string): never {
	const next = event.url.searchParams.get('next');
	const q = new URLSearchParams({ saved });
	if (next) q.set('next', safeNext(next));
	redirect(303, `/me/account/mfa?${q}`);
}

async function notify(event: RequestEvent, userId: number, what: string) {
	const { db, config, mailer } = ctx();
	await mailMfaChange(db, config, mailer, {
		userId,
		what,
		now: new Date()
	});
}

const codeSchema = z.object({ code: text('Code', 64) });
const idSchema = z.object({ id: z.coerce.number().int().positive() });
const passkeySchema = z.object({
	response: text('Passkey answer', 20_000),
	label: z
		.string()
		.trim()
		.max(60, 'Name the passkey in at most 60 characters.')
		.regex(/^[^\p{Cc}]*$/u, 'Use letters, digits and spaces.')
		.optional()
});

export const actions: Actions = {
	appStart: async (event) => {
		const w = who(event);
		startApp(ctx().db, w.userId, w.now);
		back(event, 'app-started');
	},
	appConfirm: async (event) => {
		const w = who(event);
		const form = await parseForm(event.request, codeSchema);
		if (!form.ok) return form.failure;
		const result = confirmApp(ctx().db, w, form.data.code);
		if (!result.ok) return failForm(400, { code: result.message });
		await notify(event, w.userId, 'An authenticator app was added');
		if (result.recoveryCodes) return { recoveryCodes: result.recoveryCodes, added: 'app' };
		back(event, 'app-added');
	},
	appRemove: async (event) => {
		const w = who(event);
		const form = await parseForm(event.request, idSchema);
		if (!form.ok) return failForm(400, { factors: 'Choose a sign-in method to remove.' });
		const result = removeFactorAudited(ctx().db, w, 'app', form.data.id);
		if (!result.ok) return failForm(400, { factors: result.message });
		await notify(event, w.userId, 'An authenticator app was removed');
		back(event, 'removed');
	},
	passkeyAdd: async (event) => {
		const w = who(event);
		const form = await parseForm(event.request, passkeySchema);
		if (!form.ok) return failForm(400, { passkey: Object.values(form.failure.data.errors)[0]! });
		const { db, config } = ctx();
		const result = await enrolPasskey(db, relyingParty(config, event.url), {
			...w,
			sessionId: event.locals.session!.id,
			response: form.data.response,
			label: form.data.label || 'Passkey'
		});
		if (!result.ok) return failForm(400, { passkey: result.message });
		await notify(event, w.userId, 'A passkey was added');
		if (result.recoveryCodes) return { recoveryCodes: result.recoveryCodes, added: 'passkey' };
		back(event, 'passkey-added');
	},
	passkeyRemove: async (event) => {
		const w = who(event);
		const form = await parseForm(event.request, idSchema);
		if (!form.ok) return failForm(400, { factors: 'Choose a sign-in method to remove.' });
		const result = removeFactorAudited(ctx().db, w, 'passkey', form.data.id);
		if (!result.ok) return failForm(400, { factors: result.message });
		await notify(event, w.userId, 'A passkey was removed');
		back(event, 'removed');
	},
	recoveryRenew: async (event) => {
		const w = who(event);
		const codes = renewRecoveryCodes(ctx().db, w);
		if (!codes)
			return fail(400, { errors: { recovery: 'Add a second factor first.' }, values: {} });
		await notify(event, w.userId, 'New recovery codes were made (the old ones no longer work)');
		return { recoveryCodes: codes, added: 'recovery' };
	}
};
