import { error, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { ctx } from '$lib/server/app';
import { catalog } from '$lib/server/courses';
import { failForm, parseForm } from '$lib/server/forms';
import { requireOrg } from '$lib/server/orgs/guard';
import { displayCode } from '$lib/server/rollcall/code';
import {
	addableMembers,
	addAttendee,
	assignMakeUp,
	closeSession,
	findSession,
	isExpired,
	listAttendees,
	listMakeUps,
	removeAttendee,
	sessionRecords
} from '$lib/server/rollcall/sessions';
import type { Actions, PageServerLoad } from './$types';

function session(event: { locals: App.Locals; params: { org: string; id: string }; url: URL }) {
	const access = requireOrg(event, 'supervisor');
	const found = findSession(ctx().db, access.org.id, Number(event.params.id));
	if (!found) error(404, 'There is no such roll-call session.');
	return { access, found };
}

export const load: PageServerLoad = (event) => {
	const { access, found } = session(event);
	const { db } = ctx();
	const course = catalog.bySlug.get(found.courseSlug);
	const module = course?.modules.find((m) => m.slug === found.moduleSlug);
	return {
		session: {
			id: found.id,
			code: displayCode(found.code),
			courseTitle: course?.meta.title ?? found.courseSlug,
			moduleTitle: module?.title ?? found.moduleSlug,
			minutes: module?.minutes ?? 0,
			groupName: found.groupName,
			leaderName: found.leaderName,
			startedAt: found.startedAt,
			closedAt: found.closedAt,
			codeLive: !found.closedAt && !isExpired(found)
		},
		attendees: listAttendees(db, found.id).map((a) => ({
			membershipId: a.membershipId,
			name: a.name,
			employeeId: a.employeeId,
			addedBySupervisor: a.addedBySupervisor,
			joinedAt: a.joinedAt
		})),
		addable: found.closedAt ? [] : addableMembers(db, access.org.id, found.id),
		records: found.closedAt ? sessionRecords(db, found.id) : [],
		makeUps: found.closedAt ? listMakeUps(db, found.id) : []
	};
};

const memberSchema = z.object({
	member: z.coerce
		.number({ error: 'Choose a member from the list.' })
		.int('Choose a member from the list.')
		.positive('Choose a member from the list.')
});

const CHANGE_MESSAGES = {
	not_found: 'There is no such roll-call session.',
	closed: 'The session is closed: its record can no longer change.',
	not_member: 'Choose an active member of this organization.'
};

export const actions: Actions = {
	add: async (event) => {
		const { access, found } = session(event);
		const form = await parseForm(event.request, memberSchema);
		if (!form.ok) return form.failure;
		const r = addAttendee(ctx().db, access.org.id, found.id, form.data.member, {
			userId: event.locals.user!.id,
			ip: event.getClientAddress()
		});
		if (!r.ok) return failForm(400, { member: CHANGE_MESSAGES[r.reason] });
		return { added: r.changed };
	},
	remove: async (event) => {
		const { access, found } = session(event);
		const form = await parseForm(event.request, memberSchema);
		if (!form.ok) return failForm(400, { form: 'Choose an attendee to remove.' });
		const r = removeAttendee(ctx().db, access.org.id, found.id, form.data.member, {
			userId: event.locals.user!.id,
			ip: event.getClientAddress()
		});
		if (!r.ok) return failForm(400, { form: CHANGE_MESSAGES[r.reason] });
		return { removed: r.changed };
	},
	close: async (event) => {
		const { access, found } = session(event);
		const { db, config } = ctx();
		closeSession(db, catalog, {
			orgId: access.org.id,
			sessionId: found.id,
			actor: { userId: event.locals.user!.id, ip: event.getClientAddress() },
			instanceName: config.instanceName
		});
		redirect(303, `/orgs/${access.org.slug}/rollcall/${found.id}`);
	},
	makeup: async (event) => {
		const { access, found } = session(event);
		const r = assignMakeUp(ctx().db, access.org.id, found.id, {
			userId: event.locals.user!.id,
			ip: event.getClientAddress()
		});
		if (!r.ok)
			return failForm(400, { form: 'Close the session first: make-ups go to who was not there.' });
		return { assigned: r.assigned };
	}
};
