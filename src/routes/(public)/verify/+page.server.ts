import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { ctx } from '$lib/server/app';
import { normalizeCode } from '$lib/server/certificates/code';
import { allowVerification } from '$lib/server/certificates/verify';
import { checkCredential, parseCredential } from '$lib/server/credentials/check';
import { failForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

// A GET form, so it works without JavaScript and the address can be shared.
export const load: PageServerLoad = ({ url, setHeaders }) => {
	setHeaders({ 'X-Robots-Tag': 'noindex' });
	const typed = url.searchParams.get('code');
	if (typed === null) return { typed: '', error: null };
	const code = normalizeCode(typed.slice(0, 100));
	if (code) redirect(303, `/verify/${code}`);
	return {
		typed: typed.slice(0, 100),
		error:
			'That is not a certificate code. A code has 26 letters and digits, for example 7KQ2-M9XD-….'
	};
};

const MAX_CREDENTIAL = 200_000;
const emailField = z.union([
	z.literal(''),
	z.email({ error: 'Enter an email address like name@example.org, or leave it empty.' }).max(254)
]);

export const actions: Actions = {
	/** A pasted or uploaded credential JSON: checked and described, never a 500. */
	credential: async ({ request, url, getClientAddress }) => {
		const { db, config } = ctx();
		const allowed = allowVerification(config, getClientAddress());
		if (!allowed.ok)
			return failForm(429, {
				form: `Too many checks from your network. Try again in ${allowed.retryAfterSeconds} seconds.`
			});
		let form: FormData;
		try {
			form = await request.formData();
		} catch {
			return failForm(400, { form: 'The form could not be read. Please try again.' });
		}
		const rawEmail = form.get('email');
		const email = typeof rawEmail === 'string' ? rawEmail.trim() : '';
		const pasted = form.get('credential');
		const file = form.get('file');
		let text = typeof pasted === 'string' ? pasted : '';
		if (file instanceof File && file.size > 0) {
			if (file.size > MAX_CREDENTIAL)
				return failForm(400, { file: 'That file is too large to be a credential.' }, { email });
			text = await file.text();
		}
		if (text.length > MAX_CREDENTIAL)
			return failForm(400, { credential: 'That is too long to be a credential.' }, { email });
		const checkedEmail = emailField.safeParse(email);
		if (!checkedEmail.success)
			return failForm(
				400,
				{ email: checkedEmail.error.issues[0]!.message },
				{ email, credential: text }
			);
		const parsed = parseCredential(text);
		if (!parsed.ok) {
			const field = file instanceof File && file.size > 0 ? 'file' : 'credential';
			return failForm(
				400,
				{ [field]: parsed.message },
				{ email, credential: text.slice(0, 20_000) }
			);
		}
		const report = await checkCredential(
			db,
			parsed.credential,
			{ origin: config.origin ?? url.origin, keysDir: config.keysDir },
			email || null
		);
		return { report, email };
	}
};
