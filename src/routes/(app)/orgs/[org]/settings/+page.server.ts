import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { ctx } from '$lib/server/app';
import { parseForm } from '$lib/server/forms';
import { requireOrg } from '$lib/server/orgs/guard';
import { orgRequiresMfa, setOrgRequiresMfa } from '$lib/server/orgs/mfa-policy';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const access = requireOrg(event, 'admin');
	return {
		requireMfa: orgRequiresMfa(ctx().db, access.org.id),
		saved: event.url.searchParams.has('saved')
	};
};

const schema = z.object({ requireMfa: z.literal('on').optional() });

export const actions: Actions = {
	mfa: async (event) => {
		const access = requireOrg(event, 'admin');
		const form = await parseForm(event.request, schema);
		if (!form.ok) return form.failure;
		setOrgRequiresMfa(ctx().db, {
			orgId: access.org.id,
			on: form.data.requireMfa === 'on',
			actorId: event.locals.user!.id,
			ip: event.getClientAddress()
		});
		redirect(303, `/orgs/${access.org.slug}/settings?saved=1`);
	}
};
