import { redirect } from '@sveltejs/kit';
import { ctx } from '$lib/server/app';
import { failForm } from '$lib/server/forms';
import { requireOrg } from '$lib/server/orgs/guard';
import { listGroups } from '$lib/server/orgs/members';
import { listImports, savePreview } from '$lib/server/orgs/roster';
import { parseRoster } from '$lib/server/orgs/roster-csv';
import type { Actions, PageServerLoad } from './$types';

const MAX_BYTES = 4 * 1024 * 1024;

export const load: PageServerLoad = (event) => {
	const access = requireOrg(event, 'admin');
	const { db } = ctx();
	return {
		imports: listImports(db, access.org.id),
		groups: listGroups(db, access.org.id).map((g) => g.name)
	};
};

export const actions: Actions = {
	upload: async (event) => {
		const access = requireOrg(event, 'admin');
		const form = await event.request.formData().catch(() => null);
		const file = form?.get('roster');
		if (!(file instanceof File) || file.size === 0)
			return failForm(400, { roster: 'Choose a CSV file to upload.' });
		if (file.size > MAX_BYTES)
			return failForm(400, {
				roster: 'The file is larger than 4 MB. Split it and import the parts.'
			});
		const { db } = ctx();
		const parsed = parseRoster(
			await file.text(),
			listGroups(db, access.org.id).map((g) => g.name)
		);
		if (!parsed.ok) return failForm(400, { roster: parsed.message });
		const id = savePreview(
			db,
			access.org.id,
			file.name || 'roster.csv',
			parsed.rows,
			event.locals.user!.id
		);
		redirect(303, `/orgs/${access.org.slug}/import/${id}`);
	}
};
