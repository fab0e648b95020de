import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { ctx } from '$lib/server/app';
import { failForm, parseForm } from '$lib/server/forms';
import { normalizeCode } from '$lib/server/rollcall/code';
import { JOIN_MESSAGES, joinByCode } from '$lib/server/rollcall/sessions';
import { joinThrottle } from '$lib/server/rollcall/throttle';
import type { Actions } from './$types';

const schema = z.object({
	code: z
		.string({ error: 'Type the code shown on the screen.' })
		.trim()
		.min(1, 'Type the code shown on the screen.')
		.max(40, 'The code has six letters and digits.')
});

export const actions: Actions = {
	default: async (event) => {
		if (!event.locals.user) redirect(303, '/login?next=/rollcall');
		const form = await parseForm(event.request, schema, ['code']);
		if (!form.ok) return form.failure;
		const joined = joinByCode(ctx().db, joinThrottle, {
			code: form.data.code,
			userId: event.locals.user.id,
			ip: event.getClientAddress()
		});
		if (!joined.ok)
			return failForm(400, { code: JOIN_MESSAGES[joined.reason] }, { code: form.data.code });
		redirect(303, `/rollcall/${normalizeCode(form.data.code)}`);
	}
};
