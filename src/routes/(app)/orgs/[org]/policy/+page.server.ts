import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { ctx } from '$lib/server/app';
import { failForm, parseForm } from '$lib/server/forms';
import { requireOrg } from '$lib/server/orgs/guard';
import {
	latestPolicy,
	POLICY_FIELDS,
	savePolicy,
	type PolicyValues
} from '$lib/server/orgs/policy';
import { US_STATES } from '$lib/agency';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const access = requireOrg(event, 'admin');
	const policy = latestPolicy(ctx().db, access.org.id);
	const saved = Number(event.url.searchParams.get('saved'));
	return {
		policy: policy
			? {
					version: policy.version,
					savedAt: policy.createdAt,
					values: Object.fromEntries(POLICY_FIELDS.map((f) => [f, policy[f] ?? ''])) as Record<
						(typeof POLICY_FIELDS)[number],
						string
					>
				}
			: null,
		saved: Number.isInteger(saved) && saved > 0 ? saved : null,
		states: US_STATES
	};
};

/** An optional line of plain text: empty becomes null. */
const optional = (label: string, max = 300) =>
	z
		.string({ error: `${label} must be text.` })
		.trim()
		.max(max, `${label} must be at most ${max} characters.`)
		// eslint-disable-next-line no-control-regex
		.refine((v) => !/[\u0000-\u001f\u007f]/.test(v), `${label} must be a single line of text.`)
		.optional()
		.transform((v) => (v ? v : null));

const STATE_CODES = new Set(US_STATES.map(([code]) => code));

const schema = z.object({
	base: z
		.string({ error: 'The form could not be read. Please open the page again.' })
		.regex(/^\d{1,9}$/, 'The form could not be read. Please open the page again.')
		.transform(Number),
	policyTitle: optional('The policy title', 200),
	policyNumber: optional('The policy number', 60),
	policyLink: optional('The link or file name').refine(
		(v) => !v || /^https?:\/\/\S+$/i.test(v) || !/^[a-z][a-z0-9+.-]*:/i.test(v),
		'Enter a web address starting with https:// (or http://), or a file name.'
	),
	state: z
		.string()
		.optional()
		.transform((v) => (v ? v : null))
		.refine((v) => v === null || STATE_CODES.has(v), 'Choose a state from the list.'),
	stateLawNote: optional('The note on state law'),
	taskForce: optional('The task force'),
	victimSpecialist: optional('The victim specialist or advocate'),
	ngoPartner: optional('The NGO partner'),
	notificationRule: optional('The notification rule')
});

export const actions: Actions = {
	save: async (event) => {
		const access = requireOrg(event, 'admin');
		const form = await parseForm(event.request, schema, [...POLICY_FIELDS]);
		if (!form.ok) return form.failure;
		const { base, ...values } = form.data;
		const result = savePolicy(
			ctx().db,
			access.org.id,
			values as PolicyValues,
			{ actorId: event.locals.user!.id, ip: event.getClientAddress() },
			base
		);
		if (!result.ok) {
			const kept = Object.fromEntries(POLICY_FIELDS.map((f) => [f, values[f] ?? '']));
			return failForm(
				409,
				{
					form: `Someone saved version ${result.latest} while you were editing. Your entries are below: check them against the current version, then save again.`
				},
				kept
			);
		}
		redirect(303, `/orgs/${access.org.slug}/policy?saved=${result.version}`);
	}
};
