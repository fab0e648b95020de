import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { ctx } from '$lib/server/app';
import { catalog } from '$lib/server/courses';
import { DUE_KINDS, EXEMPTION_REASONS, type ExemptionReason } from '$lib/server/db/schema';
import { failForm, idList, parseForm } from '$lib/server/forms';
import { requireOrg } from '$lib/server/orgs/guard';
import {
	assignmentHistory,
	createAssignment,
	createExemption,
	editAssignment,
	findAssignment,
	listExemptions,
	reminderThresholds,
	saveReminderThresholds,
	withdrawAssignment,
	withdrawExemption,
	type AssignmentInput
} from '$lib/server/training/assignments';
import { activeAssignments, requirementKey } from '$lib/server/training/roster-status';
import { dayLabel, isDay } from '$lib/server/training/days';
import { dueLabel, renewalLabel, requirementTitle, whoLabel } from '$lib/server/training/describe';
import { findMembersByKeys } from '$lib/server/training/people';
import { listGroups } from '$lib/server/orgs/members';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const access = requireOrg(event, 'supervisor');
	const { db } = ctx();
	const groups = listGroups(db, access.org.id).map(({ id, name }) => ({ id, name }));
	const groupNames = new Map(groups.map((g) => [g.id, g.name]));
	const describe = (a: ReturnType<typeof activeAssignments>[number]) => ({
		id: a.id,
		seriesId: a.seriesId ?? a.id,
		course: requirementTitle(catalog, requirementKey(a)),
		who: whoLabel(a, groupNames),
		due: dueLabel(a),
		renewal: renewalLabel(a)
	});
	const active = activeAssignments(db, access.org.id);
	const editId = Number(event.url.searchParams.get('edit'));
	const editing = editId ? active.find((a) => a.id === editId) : undefined;
	const people = editing?.userIds.length
		? findMembersByKeys(db, access.org.id, editing.userIds)
		: [];
	return {
		courses: catalog.courses.map((c) => ({ slug: c.slug, title: c.meta.title })),
		groups,
		active: active.map(describe),
		editing: editing
			? {
					...describe(editing),
					scope: editing.scope,
					groupIds: editing.groupIds,
					people: people.map((p) => p.employeeId ?? p.email).join(', '),
					dueKind: editing.dueKind,
					dueOn: editing.dueOn ?? '',
					dueDays: editing.dueDays === null ? '' : String(editing.dueDays),
					renewalMonths: editing.renewalMonths === null ? '' : String(editing.renewalMonths)
				}
			: null,
		history: assignmentHistory(db, access.org.id).map((a) => ({
			...describe(a),
			createdAt: a.createdAt,
			endedAt: a.endedAt,
			endReason: a.endReason
		})),
		exemptions: listExemptions(db, access.org.id).map((e) => ({
			...e,
			reasonLabel: EXEMPTION_REASONS[e.reason],
			endsOnLabel: dayLabel(e.endsOn),
			course: ((a) => (a ? requirementTitle(catalog, requirementKey(a)) : ''))(
				active.find((a) => (a.seriesId ?? a.id) === e.seriesId)
			)
		})),
		reasons: Object.entries(EXEMPTION_REASONS).map(([value, label]) => ({ value, label })),
		thresholds: reminderThresholds(db, access.org.id)
	};
};

const optionalWhole = (label: string, min: number, max: number) =>
	z
		.string()
		.trim()
		.optional()
		.transform((v, c) => {
			if (!v) return null;
			const n = Number(v);
			if (!Number.isInteger(n) || n < min || n > max) {
				c.addIssue({
					code: 'custom',
					message: `${label} must be a whole number from ${min} to ${max}.`
				});
				return z.NEVER;
			}
			return n;
		});

const assignmentSchema = z.object({
	course: z
		.string({ error: 'Choose a course.' })
		.refine((s) => catalog.bySlug.has(s), 'Choose a course.'),
	scope: z.enum(['org', 'groups', 'people'], { error: 'Choose who must take it.' }),
	groups: idList('Choose groups from the list.'),
	people: z.string().max(5000, 'At most 5,000 characters.').optional(),
	dueKind: z.enum(DUE_KINDS, { error: 'Choose when it is due.' }),
	dueOn: z.string().trim().optional(),
	dueDays: optionalWhole('Days', 1, 3650),
	renewalMonths: optionalWhole('Renewal', 1, 120)
});
const keep = ['course', 'scope', 'people', 'dueKind', 'dueOn', 'dueDays', 'renewalMonths'];

async function readAssignment(
	event: Parameters<Actions[string]>[0],
	orgId: number
): Promise<
	{ ok: true; input: AssignmentInput } | { ok: false; failure: ReturnType<typeof failForm> }
> {
	const form = await parseForm(event.request, assignmentSchema, keep);
	if (!form.ok) return { ok: false, failure: form.failure };
	const d = form.data;
	const values = Object.fromEntries(
		keep.map((k) => [k, String((d as Record<string, unknown>)[k] ?? '')])
	);
	values.course = d.course;
	const errors: Record<string, string> = {};
	if (d.dueKind === 'fixed' && (!d.dueOn || !isDay(d.dueOn)))
		errors.dueOn = 'Enter the due date as a date, for example 2027-03-15.';
	if (d.dueKind !== 'fixed' && d.dueDays === null) errors.dueDays = 'Enter the number of days.';
	if (d.scope === 'groups' && d.groups.length === 0) errors.groups = 'Choose at least one group.';
	let userIds: number[] = [];
	if (d.scope === 'people') {
		const keys = (d.people ?? '')
			.split(/[,;\n]/)
			.map((s) => s.trim())
			.filter(Boolean);
		if (!keys.length) errors.people = 'Enter at least one email or badge number.';
		else {
			const found = findMembersByKeys(ctx().db, orgId, [], keys);
			const missing = keys.filter(
				(k) => !found.some((p) => p.email.toLowerCase() === k.toLowerCase() || p.employeeId === k)
			);
			if (missing.length)
				errors.people = `No member with this email or badge number: ${missing.join(', ')}.`;
			userIds = found.map((p) => p.userId);
		}
	}
	if (Object.keys(errors).length) return { ok: false, failure: failForm(400, errors, values) };
	return {
		ok: true,
		input: {
			courseSlug: d.course,
			scope: d.scope,
			groupIds: d.groups,
			userIds,
			dueKind: d.dueKind,
			dueOn: d.dueOn ?? null,
			dueDays: d.dueDays,
			renewalMonths: d.renewalMonths
		}
	};
}

const failures = {
	not_found: 'This requirement has been changed or withdrawn meanwhile.',
	unknown_group: 'Choose groups from the list.',
	unknown_person: 'Choose people who are members of this organization.'
};

const idForm = z.object({ id: z.coerce.number().int().positive() });
const exemptionSchema = z.object({
	series: z.coerce
		.number({ error: 'Choose a requirement.' })
		.int()
		.positive('Choose a requirement.'),
	person: z.string().trim().min(1, 'Enter the person’s email or badge number.').max(254),
	reason: z.enum(Object.keys(EXEMPTION_REASONS) as [ExemptionReason, ...ExemptionReason[]], {
		error: 'Choose a reason.'
	}),
	note: z.string().trim().max(500, 'At most 500 characters.').optional(),
	endsOn: z.string().trim().refine(isDay, 'Enter the last day as a date, for example 2027-03-15.')
});

export const actions: Actions = {
	create: async (event) => {
		const access = requireOrg(event, 'supervisor');
		const read = await readAssignment(event, access.org.id);
		if (!read.ok) return read.failure;
		const r = createAssignment(ctx().db, access.org.id, read.input, {
			actorId: event.locals.user!.id,
			ip: event.getClientAddress()
		});
		if (!r.ok) return failForm(400, { form: failures[r.reason] });
		return { done: 'The course is now required.' };
	},
	edit: async (event) => {
		const access = requireOrg(event, 'supervisor');
		const id = Number(event.url.searchParams.get('id'));
		if (!Number.isInteger(id) || !findAssignment(ctx().db, access.org.id, id))
			return failForm(400, { form: failures.not_found });
		const read = await readAssignment(event, access.org.id);
		if (!read.ok) return read.failure;
		const r = editAssignment(ctx().db, access.org.id, id, read.input, {
			actorId: event.locals.user!.id,
			ip: event.getClientAddress()
		});
		if (!r.ok) return failForm(400, { form: failures[r.reason] });
		redirect(303, `/orgs/${access.org.slug}/assignments?saved=1`);
	},
	withdraw: async (event) => {
		const access = requireOrg(event, 'supervisor');
		const form = await parseForm(event.request, idForm);
		if (!form.ok) return form.failure;
		const r = withdrawAssignment(ctx().db, access.org.id, form.data.id, {
			actorId: event.locals.user!.id,
			ip: event.getClientAddress()
		});
		if (!r.ok) return failForm(400, { form: failures[r.reason] });
		return { done: 'The requirement is withdrawn. Its history and everyone’s records are kept.' };
	},
	exempt: async (event) => {
		const access = requireOrg(event, 'supervisor');
		const form = await parseForm(event.request, exemptionSchema, [
			'series',
			'person',
			'reason',
			'note',
			'endsOn'
		]);
		if (!form.ok) return form.failure;
		const d = form.data;
		const values = {
			series: String(d.series),
			person: d.person,
			reason: d.reason,
			note: d.note ?? '',
			endsOn: d.endsOn
		};
		if (d.reason === 'other' && !d.note)
			return failForm(400, { note: 'Say why, in a few words.' }, values);
		const person = findMembersByKeys(ctx().db, access.org.id, [], [d.person])[0];
		if (!person)
			return failForm(400, { person: 'No member with this email or badge number.' }, values);
		const r = createExemption(
			ctx().db,
			access.org.id,
			{
				seriesId: d.series,
				userId: person.userId,
				reason: d.reason,
				note: d.note || null,
				endsOn: d.endsOn
			},
			{ actorId: event.locals.user!.id, ip: event.getClientAddress() }
		);
		if (!r.ok) return failForm(400, { series: 'Choose a requirement.' }, values);
		return { done: `${person.name} is exempt until the end of ${dayLabel(d.endsOn)}.` };
	},
	endExemption: async (event) => {
		const access = requireOrg(event, 'supervisor');
		const form = await parseForm(event.request, idForm);
		if (!form.ok) return form.failure;
		const r = withdrawExemption(ctx().db, access.org.id, form.data.id, {
			actorId: event.locals.user!.id,
			ip: event.getClientAddress()
		});
		if (!r.ok) return failForm(400, { form: 'This exemption has ended already.' });
		return { done: 'The exemption is ended.' };
	},
	reminders: async (event) => {
		const access = requireOrg(event, 'admin');
		const schema = z.object({
			daysBefore: z.coerce
				.number()
				.int()
				.min(1, 'From 1 to 60 days.')
				.max(60, 'From 1 to 60 days.'),
			overdueRepeats: z.coerce.number().int().min(0, 'From 0 to 4.').max(4, 'From 0 to 4.'),
			expiryDaysBefore: z.coerce
				.number()
				.int()
				.min(1, 'From 1 to 180 days.')
				.max(180, 'From 1 to 180 days.'),
			onDueDate: z.string().optional(),
			weeklyDigest: z.string().optional()
		});
		const form = await parseForm(event.request, schema, [
			'daysBefore',
			'overdueRepeats',
			'expiryDaysBefore'
		]);
		if (!form.ok) return form.failure;
		saveReminderThresholds(
			ctx().db,
			access.org.id,
			{
				daysBefore: form.data.daysBefore,
				overdueRepeats: form.data.overdueRepeats,
				expiryDaysBefore: form.data.expiryDaysBefore,
				onDueDate: form.data.onDueDate === 'on',
				weeklyDigest: form.data.weeklyDigest === 'on'
			},
			{ actorId: event.locals.user!.id, ip: event.getClientAddress() }
		);
		return { done: 'Reminder settings saved.' };
	}
};
