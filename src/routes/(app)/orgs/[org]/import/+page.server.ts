import { redirect } from '@sveltejs/kit';
import { ctx } from '$lib/server/app';
import { failForm } from '$lib/server/forms';
import { requireOrg } from '$lib/server/orgs/guard';
import { listGroups } from '$lib/server/orgs/members';
import { listImports, savePreview } from '$lib/server/orgs/roster';
import { decodeRoster, MAX_BYTES, parseRoster } from '$lib/server/orgs/roster-csv';
import type { Actions, PageServerLoad } from './$types';

const TOO_LARGE = 'The file is larger than 4 MB. Split it and import the parts.';

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
		if (!form) {
			// The server stops reading a body over its limit: say that, not "choose a file".
			const length = Number(event.request.headers.get('content-length'));
			return failForm(400, {
				roster:
					length > MAX_BYTES
						? TOO_LARGE
						: 'The upload could not be read (was it interrupted?). Please choose the file again.'
			});
		}
		const file = form.get('roster');
		if (!(file instanceof File) || file.size === 0)
			return failForm(400, { roster: 'Choose a CSV file to upload.' });
		if (file.size > MAX_BYTES) return failForm(400, { roster: TOO_LARGE });
		const { db } = ctx();
		const decoded = decodeRoster(new Uint8Array(await file.arrayBuffer()));
		const parsed = parseRoster(
			decoded.text,
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
		// The preview says when the file was not UTF-8 and how it was read.
		const read = decoded.encoding === 'windows-1252' ? '?read=windows-1252' : '';
		redirect(303, `/orgs/${access.org.slug}/import/${id}${read}`);
	}
};
