import { error } from '@sveltejs/kit';
import { ctx } from '$lib/server/app';
import { requireOrg } from '$lib/server/orgs/guard';
import { inviteMessage } from '$lib/server/orgs/mail';
import { findImport, runImport } from '$lib/server/orgs/roster';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const access = requireOrg(event, 'admin');
	const found = findImport(ctx().db, access.org.id, Number(event.params.id));
	if (!found) error(404, 'There is no such import.');
	const bad = found.rows.filter((r) => r.problems.length);
	return {
		import: { id: found.id, fileName: found.fileName, status: found.status, result: found.result },
		total: found.rows.length,
		good: found.rows.length - bad.length,
		bad: bad.map((r) => ({ line: r.line, name: r.name, email: r.email, problems: r.problems })),
		sample: found.rows.filter((r) => !r.problems.length).slice(0, 20)
	};
};

export const actions: Actions = {
	import: async (event) => {
		const access = requireOrg(event, 'admin');
		const { db, config, mailer } = ctx();
		const result = runImport(db, access.org.id, Number(event.params.id), {
			actorId: event.locals.user!.id,
			ip: event.getClientAddress()
		});
		if (!result.ok) {
			if (result.reason === 'not_found') error(404, 'There is no such import.');
			return { already: true };
		}
		const origin = config.origin ?? event.url.origin;
		for (const i of result.invites) {
			await mailer.send(
				inviteMessage(access.org.name, i.email, `${origin}/join/${i.token}`, config.instanceName)
			);
		}
		return { imported: result.result };
	}
};
