import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { ctx } from '$lib/server/app';
import { listAuditTrail, listOutbox, searchUsers } from '$lib/server/admin';
import { formatCode, normalizeCode } from '$lib/server/certificates/code';
import { revokeCertificate } from '$lib/server/certificates/status';
import { ORG_KINDS, REVOCATION_REASONS, type RevocationReason } from '$lib/server/db/schema';
import { email, failForm, optionalText, parseForm, text } from '$lib/server/forms';
import { createOrganization, listOrganizations } from '$lib/server/orgs/organizations';
import { sendWithLink } from '$lib/server/links';
import { NO_ORIGIN_FORM_MESSAGE } from '$lib/server/public-origin';
import { inviteMessage } from '$lib/server/orgs/mail';
import { setUserDisabled } from '$lib/server/users';
import { auditChainStatus } from '$lib/server/records/check';
import type { Actions, PageServerLoad } from './$types';

function requireInstanceAdmin(locals: App.Locals): { id: number } {
	if (!locals.user?.isInstanceAdmin) error(403, 'Only instance administrators can open this page.');
	return locals.user;
}

export const load: PageServerLoad = ({ locals, url }) => {
	requireInstanceAdmin(locals);
	const { db } = ctx();
	const q = (url.searchParams.get('q') ?? '').slice(0, 254);
	return {
		organizations: listOrganizations(db),
		reasons: Object.entries(REVOCATION_REASONS).map(([value, label]) => ({ value, label })),
		q,
		users: searchUsers(db, q),
		outbox: listOutbox(db),
		chain: auditChainStatus(db),
		audit: listAuditTrail(db).map((a) => ({
			...a,
			detail: a.detail ? JSON.stringify(a.detail) : ''
		}))
	};
};

const toggle = z.object({
	userId: z.coerce.number({ error: 'Choose an account.' }).int().positive('Choose an account.')
});

async function setDisabled(event: Parameters<Actions[string]>[0], disabled: boolean) {
	const admin = requireInstanceAdmin(event.locals);
	const form = await parseForm(event.request, toggle);
	if (!form.ok) return form.failure;
	if (form.data.userId === admin.id) {
		return failForm(400, { form: 'You cannot disable your own account.' });
	}
	const { db } = ctx();
	if (
		!setUserDisabled(db, form.data.userId, disabled, {
			actorId: admin.id,
			ip: event.getClientAddress()
		})
	) {
		return failForm(404, { form: 'That account does not exist.' });
	}
	return {
		done: disabled ? 'The account is disabled and its sessions ended.' : 'The account is enabled.'
	};
}

const revokeSchema = z.object({
	code: text('Verification code', 100),
	reason: z.enum(Object.keys(REVOCATION_REASONS) as [RevocationReason, ...RevocationReason[]], {
		error: 'Choose a reason.'
	}),
	note: z.string().trim().max(1000, 'Keep the note under 1,000 characters.').optional()
});

const orgSchema = z.object({
	name: text('Name', 120),
	slug: text('Address', 60).pipe(
		z
			.string()
			.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Use lower-case letters, digits and single dashes.')
	),
	kind: z.enum(ORG_KINDS, { error: 'Choose department, campus or NGO.' }),
	timeZone: text('Time zone', 60).refine((tz) => Intl.supportedValuesOf('timeZone').includes(tz), {
		message: 'Choose a time zone such as America/Chicago.'
	}),
	contactName: optionalText('Contact name', 120),
	contactEmail: z.union([z.literal(''), email('Contact email')]).optional(),
	adminEmail: email('First administrator’s email'),
	adminName: optionalText("The administrator's name", 120)
});

export const actions: Actions = {
	createOrg: async ({ locals, request, getClientAddress }) => {
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
		const sent = await sendWithLink(config, mailer, `/join/${result.adminInvite}`, (link) =>
			inviteMessage(d.name, d.adminEmail, link, config.instanceName)
		);
		if (!sent) return { done: `${d.name} is created. ${NO_ORIGIN_FORM_MESSAGE}` };
		return {
			done: `${d.name} is created. An invitation to be its administrator was sent to ${d.adminEmail}.`
		};
	},
	disable: (event) => setDisabled(event, true),
	enable: (event) => setDisabled(event, false),
	revoke: async ({ locals, request, getClientAddress }) => {
		const admin = requireInstanceAdmin(locals);
		const form = await parseForm(request, revokeSchema, ['code', 'reason', 'note']);
		if (!form.ok) return form.failure;
		const code = normalizeCode(form.data.code);
		const values = { code: form.data.code, reason: form.data.reason, note: form.data.note ?? '' };
		if (!code) return failForm(400, { code: 'That is not a certificate code.' }, values);
		const result = revokeCertificate(ctx().db, {
			code,
			reason: form.data.reason,
			note: form.data.note || undefined,
			by: admin.id,
			ip: getClientAddress()
		});
		if (!result.ok) {
			const message =
				result.reason === 'not_found'
					? 'No certificate has this code.'
					: 'This certificate is already revoked.';
			return failForm(400, { code: message }, values);
		}
		return {
			done: `Certificate ${formatCode(code)} is revoked. Its verification page says so now.`
		};
	}
};
