import { z } from 'zod';
import { ctx } from '$lib/server/app';
import {
	missingOriginMessage,
	NO_ORIGIN_FORM_MESSAGE,
	publicLink,
	publicOrigin
} from '$lib/server/public-origin';
import { recordAudit } from '$lib/server/audit';
import { ROLES } from '$lib/server/db/schema';
import { failForm, idList, parseForm } from '$lib/server/forms';
import { requireOrg } from '$lib/server/orgs/guard';
import type { Tx } from '$lib/server/db';
import {
	createInvite,
	listInvites,
	revokeInvite,
	type InviteOptions
} from '$lib/server/orgs/invites';
import { listGroups } from '$lib/server/orgs/members';
import { sendWithLink } from '$lib/server/links';
import { inviteMessage } from '$lib/server/orgs/mail';
import type { Actions, PageServerLoad } from './$types';

/** Creates an invite and records in the audit trail who made it, in the caller's transaction. */
function createAuditedInvite(
	tx: Tx,
	by: { orgId: number; actorId: number; ip: string },
	options: InviteOptions,
	detail: Record<string, unknown>
) {
	const created = createInvite(tx, by.orgId, options, by.actorId);
	recordAudit(tx, {
		action: 'invite.create',
		outcome: 'success',
		actorId: by.actorId,
		ip: by.ip,
		orgId: by.orgId,
		subjectType: 'invite',
		subjectId: created.id,
		detail
	});
	return created;
}

export const load: PageServerLoad = (event) => {
	const access = requireOrg(event, 'admin');
	const { db } = ctx();
	return {
		invites: listInvites(db, access.org.id),
		groups: listGroups(db, access.org.id).map(({ id, name }) => ({ id, name }))
	};
};

const groupIds = idList('Choose groups from the list.');

const linkSchema = z.object({
	role: z.enum(ROLES, { error: 'Choose a role.' }),
	groups: groupIds,
	maxUses: z.coerce
		.number({ error: 'Enter a number.' })
		.int('Enter a whole number.')
		.min(1, 'At least 1.')
		.max(1000, 'At most 1,000.'),
	days: z.coerce
		.number({ error: 'Enter a number.' })
		.int('Enter a whole number.')
		.min(1, 'At least 1 day.')
		.max(90, 'At most 90 days.')
});

const emailSchema = z.object({
	role: z.enum(ROLES, { error: 'Choose a role.' }),
	groups: groupIds,
	emails: z
		.string({ error: 'Enter at least one email address.' })
		.max(20_000, 'Send at most a few hundred invites at once.')
});

function validGroups(orgId: number, ids: number[]): boolean {
	const known = new Set(listGroups(ctx().db, orgId).map((g) => g.id));
	return ids.every((id) => known.has(id));
}

export const actions: Actions = {
	link: async (event) => {
		const access = requireOrg(event, 'admin');
		const form = await parseForm(event.request, linkSchema, ['role', 'maxUses', 'days']);
		if (!form.ok) return form.failure;
		if (!validGroups(access.org.id, form.data.groups))
			return failForm(400, { groups: 'Choose groups from the list.' });
		const { db, config } = ctx();
		// The link is shown to be copied and sent on: it must point at the public origin too.
		if (!publicOrigin(config)) return failForm(400, { form: NO_ORIGIN_FORM_MESSAGE });
		const actorId = event.locals.user!.id;
		const { id, token } = db.transaction((tx) => {
			return createAuditedInvite(
				tx,
				{ orgId: access.org.id, actorId, ip: event.getClientAddress() },
				{ ...form.data, groupIds: form.data.groups },
				{
					role: form.data.role,
					maxUses: form.data.maxUses,
					days: form.data.days,
					groups: form.data.groups
				}
			);
		});
		// Shown to the admin to share: from the public origin, like an emailed link.
		return {
			link: publicLink(config, `/join/${token}`)!,
			inviteId: id
		};
	},
	email: async (event) => {
		const access = requireOrg(event, 'admin');
		const form = await parseForm(event.request, emailSchema, ['role', 'emails']);
		if (!form.ok) return form.failure;
		const addresses = [
			...new Set(
				form.data.emails
					.split(/[\s,;]+/)
					.map((e) => e.trim().toLowerCase())
					.filter(Boolean)
			)
		];
		const bad = addresses.filter((a) => !z.email().safeParse(a).success || a.length > 254);
		if (!addresses.length || bad.length) {
			return failForm(
				400,
				{
					emails: addresses.length
						? `These are not email addresses: ${bad.slice(0, 10).join(', ')}`
						: 'Enter at least one email address.'
				},
				{ role: form.data.role, emails: form.data.emails.slice(0, 20_000) }
			);
		}
		if (addresses.length > 500)
			return failForm(400, { emails: 'Send at most 500 invites at once.' });
		if (!validGroups(access.org.id, form.data.groups))
			return failForm(400, { groups: 'Choose groups from the list.' });
		const { db, config, mailer } = ctx();
		const actorId = event.locals.user!.id;
		const origin = publicOrigin(config);
		if (!origin) {
			console.error(`[mail] not sent: ${missingOriginMessage(config)}`);
			return failForm(503, { emails: NO_ORIGIN_FORM_MESSAGE }, { emails: form.data.emails });
		}
		const tokens = db.transaction((tx) =>
			addresses.map((email) => {
				const created = createAuditedInvite(
					tx,
					{ orgId: access.org.id, actorId, ip: event.getClientAddress() },
					{ role: form.data.role, groupIds: form.data.groups, maxUses: 1, days: 14, email },
					{ email, role: form.data.role }
				);
				return { email, token: created.token };
			})
		);
		for (const t of tokens)
			await sendWithLink(config, mailer, `/join/${t.token}`, (link) =>
				inviteMessage(access.org.name, t.email, link, config.instanceName)
			);
		return { sent: tokens.length };
	},
	revoke: async (event) => {
		const access = requireOrg(event, 'admin');
		const form = await parseForm(
			event.request,
			z.object({ invite: z.coerce.number().int().positive() })
		);
		if (!form.ok) return form.failure;
		const ok = revokeInvite(ctx().db, access.org.id, form.data.invite, {
			actorId: event.locals.user!.id,
			ip: event.getClientAddress()
		});
		if (!ok) return failForm(404, { form: 'That invite does not exist or was already revoked.' });
		return { revoked: true };
	}
};
