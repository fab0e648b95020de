import { z } from 'zod';
import { ctx } from '$lib/server/app';
import { GROUP_KINDS } from '$lib/server/db/schema';
import { failForm, parseForm, text } from '$lib/server/forms';
import { requireOrg } from '$lib/server/orgs/guard';
import { createGroup, listGroups } from '$lib/server/orgs/members';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const access = requireOrg(event, 'admin');
	return { groups: listGroups(ctx().db, access.org.id) };
};

const schema = z.object({
	name: text('Name', 80),
	kind: z.enum(GROUP_KINDS, { error: 'Choose unit, shift or team.' })
});

export const actions: Actions = {
	create: async (event) => {
		const access = requireOrg(event, 'admin');
		const form = await parseForm(event.request, schema, ['name', 'kind']);
		if (!form.ok) return form.failure;
		const result = createGroup(ctx().db, access.org.id, form.data, {
			actorId: event.locals.user!.id,
			ip: event.getClientAddress()
		});
		if (!result.ok)
			return failForm(400, { name: 'A group with this name exists already.' }, form.data);
		return { done: `Group “${form.data.name}” created.` };
	}
};
