import { error, fail } from '@sveltejs/kit';
import { ctx } from '$lib/server/app';
import {
	missingOriginMessage,
	NO_ORIGIN_FORM_MESSAGE,
	publicOrigin
} from '$lib/server/public-origin';
import { requireOrg } from '$lib/server/orgs/guard';
import { sendWithLink } from '$lib/server/links';
import { inviteMessage } from '$lib/server/orgs/mail';
import { findImport, importNextBatch } from '$lib/server/orgs/roster';
import type { Actions, PageServerLoad } from './$types';

/** One request imports batches for about this long, then answers with the progress. */
const STEP_MS = 2_000;
/** Rows with problems shown per page: a file of 10,000 bad rows stays a small page. */
const PROBLEMS_PER_PAGE = 100;

export const load: PageServerLoad = (event) => {
	const access = requireOrg(event, 'admin');
	const found = findImport(ctx().db, access.org.id, Number(event.params.id));
	if (!found) error(404, 'There is no such import.');
	const bad = found.rows.filter((r) => r.problems.length);
	const pages = Math.max(1, Math.ceil(bad.length / PROBLEMS_PER_PAGE));
	const asked = Number(event.url.searchParams.get('page') ?? '1');
	const page = Number.isInteger(asked) ? Math.min(Math.max(asked, 1), pages) : 1;
	const shown = bad.slice((page - 1) * PROBLEMS_PER_PAGE, page * PROBLEMS_PER_PAGE);
	return {
		readAs: event.url.searchParams.get('read') === 'windows-1252' ? 'Windows-1252' : null,
		import: {
			id: found.id,
			fileName: found.fileName,
			status: found.status,
			done: found.done,
			result: found.status === 'imported' ? found.result : null
		},
		total: found.rows.length,
		good: found.rows.length - bad.length,
		badTotal: bad.length,
		bad: shown.map((r) => ({ line: r.line, name: r.name, email: r.email, problems: r.problems })),
		problemPages: { page, pages },
		sample: found.rows.filter((r) => !r.problems.length).slice(0, 20)
	};
};

export const actions: Actions = {
	// Imports batch after batch (each committed with its progress) for about two seconds, then
	// answers: with the result when done, else with the progress, and the page asks for more.
	import: async (event) => {
		const access = requireOrg(event, 'admin');
		const { db, config, mailer } = ctx();
		const origin = publicOrigin(config);
		if (!origin) {
			// Nothing is imported: the invites it would create could not be mailed.
			console.error(`[mail] not sent: ${missingOriginMessage(config)}`);
			return fail(503, { noOrigin: NO_ORIGIN_FORM_MESSAGE });
		}
		const by = { actorId: event.locals.user!.id, ip: event.getClientAddress() };
		const started = Date.now();
		for (;;) {
			const step = importNextBatch(db, access.org.id, Number(event.params.id), by);
			if (!step.ok) {
				if (step.reason === 'not_found') error(404, 'There is no such import.');
				return { already: true };
			}
			for (const i of step.invites) {
				await sendWithLink(config, mailer, `/join/${i.token}`, (link) =>
					inviteMessage(access.org.name, i.email, link, config.instanceName)
				);
			}
			if (step.finished) return { imported: step.result };
			if (Date.now() - started > STEP_MS)
				return { progress: { done: step.done, total: step.total } };
		}
	}
};
