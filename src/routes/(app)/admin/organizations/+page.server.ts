import { z } from 'zod';
import { ctx } from '$lib/server/app';
import { requireInstanceAdmin } from '$lib/server/auth/guard';
import { ORG_KINDS } from '$lib/server/db/schema';
import { email, failForm, optionalText, parseForm, text } from '$lib/server/forms';
import { createOrganization, listOrganizations } from '$lib/server/orgs/organizations';
import { inviteMessage } from '$lib/server/orgs/mail';
import { sendWithLink } from '$lib/server/links';
import { NO_ORIGIN_FORM_MESSAGE } from '$lib/server/public-origin';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	requireInstanceAdmin(locals);
	return { organizations: listOrganizations(ctx().db) };
};

const orgSchema = z.object({
	name: text('Name', 120),
	slug: text('Address', 60).pipe(
		z
			.string()
			.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Use lower-case letters, digits and single dashes.')
	),
	kind: z.enum(ORG_KINDS, { error: 'Choose department, campus or NGO.' }),
	timeZone: text('Time zone', 60).refine((tz) => Intl.supportedValuesOf('timeZone').includes(tz), {
		message: 'Enter a time zone such as America/Chicago.'
	}),
	contactName: optionalText('Contact name', 120),
	contactEmail: z.union([z.literal(''), email('Contact email')]).optional(),
	adminEmail: email('First administrator’s email'),
	adminName: optionalText("The administrator's name", 120)
});

export const actions: Actions = {
	create: async ({ locals, request, getClientAddress }) => {
		const admin = requireInstanceAdmin(locals);
		const form = await parseForm(request, orgSchema, [
			'name',
			'slug',
			'kind',
			'timeZone',
			'contactName',
			'contactEmail',
			'adminEmail',
			'adminName'
		]);
		if (!form.ok) return form.failure;
		const d = form.data;
		const { db, config, mailer } = ctx();
		const result = createOrganization(
			db,
			{
				name: d.name,
				slug: d.slug,
				kind: d.kind,
				timeZone: d.timeZone,
				contactName: d.contactName,
				contactEmail: d.contactEmail || undefined,
				firstAdmin: { email: d.adminEmail, name: d.adminName }
			},
			{ actorId: admin.id, ip: getClientAddress() }
		);
		if (!result.ok)
			return failForm(
				400,
				{ [result.field]: result.message },
				{
					...d,
					contactEmail: d.contactEmail ?? '',
					contactName: d.contactName ?? '',
					adminName: d.adminName ?? ''
				}
			);
		// The first administrator is invited like anyone else: nobody joins without accepting.
		const sent = await sendWithLink(config, mailer, `/join/${result.adminInvite}`, (link) =>
			inviteMessage(d.name, d.adminEmail, link, config.instanceName)
		);
		if (!sent) return { done: `${d.name} is created. ${NO_ORIGIN_FORM_MESSAGE}` };
		return {
			done: `${d.name} is created. An invitation to be its administrator was sent to ${d.adminEmail}.`
		};
	}
};
