import { redirect } from '@sveltejs/kit';
import { normalizeCode } from '$lib/server/certificates/code';
import type { PageServerLoad } from './$types';

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
