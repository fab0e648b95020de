import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { ctx } from '$lib/server/app';
import { ROLES } from '$lib/server/db/schema';
import { failForm, idList, parseForm } from '$lib/server/forms';
import { requireOrg } from '$lib/server/orgs/guard';
import { findMember, listGroups, updateMember } from '$lib/server/orgs/members';
import { memberTraining } from '$lib/server/orgs/records';
import { catalog } from '$lib/server/courses';
import { buildTranscript } from '$lib/server/training/transcript';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const access = requireOrg(event, 'supervisor');
	const { db } = ctx();
	const member = findMember(db, access.org.id, Number(event.params.id));
	if (!member) error(404, 'There is no such member in this organization.');
	return {
		member: {
			id: member.membershipId,
			name: member.name,
			email: member.email,
			role: member.role,
			employeeId: member.employeeId,
			active: member.active,
			leftAt: member.leftAt,
			since: member.since,
			groupIds: member.groupIds
		},
		groups: listGroups(db, access.org.id).map(({ id, name }) => ({ id, name })),
		// The H1 rule (see memberTranscript): records only through an active membership, which the
		// person accepted; a deactivated or left membership shows none.
		training: member.active ? memberTraining(db, member.userId) : null,
		transcript: member.active
			? buildTranscript(db, catalog, member.userId, { orgId: access.org.id })
			: null
	};
};

const schema = z.object({
	role: z.enum(ROLES, { error: 'Choose a role.' }),
	groups: idList('Choose groups from the list.')
});

const messages = {
	not_found: 'There is no such member in this organization.',
	last_admin: 'The organization needs at least one active administrator.',
	unknown_group: 'Choose groups from the list.',
	left: 'This person left the organization. Invite them again; they become a member if they accept.',
	exists: ''
};

export const actions: Actions = {
	update: async (event) => {
		const access = requireOrg(event, 'admin');
		const form = await parseForm(event.request, schema);
		if (!form.ok) return form.failure;
		const result = updateMember(
			ctx().db,
			access.org.id,
			Number(event.params.id),
			{ role: form.data.role, groupIds: form.data.groups },
			{
				actorId: event.locals.user!.id,
				ip: event.getClientAddress()
			}
		);
		if (!result.ok) {
			if (result.reason === 'not_found') error(404, messages.not_found);
			return failForm(400, { form: messages[result.reason] });
		}
		return { done: 'Saved.' };
	},
	deactivate: (event) => setActive(event, false),
	reactivate: (event) => setActive(event, true)
};

function setActive(event: Parameters<Actions[string]>[0], active: boolean) {
	const access = requireOrg(event, 'admin');
	const result = updateMember(
		ctx().db,
		access.org.id,
		Number(event.params.id),
		{ active },
		{
			actorId: event.locals.user!.id,
			ip: event.getClientAddress()
		}
	);
	if (!result.ok) {
		if (result.reason === 'not_found') error(404, messages.not_found);
		return failForm(400, { form: messages[result.reason] });
	}
	return {
		done: active
			? 'The member is active again.'
			: 'The member is deactivated; their records are kept and their sessions ended.'
	};
}
