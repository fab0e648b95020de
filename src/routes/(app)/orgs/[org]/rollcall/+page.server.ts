import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { ctx } from '$lib/server/app';
import { catalog } from '$lib/server/courses';
import { failForm, parseForm } from '$lib/server/forms';
import { requireOrg } from '$lib/server/orgs/guard';
import { listGroups } from '$lib/server/orgs/members';
import { isExpired, listSessions, startSession } from '$lib/server/rollcall/sessions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const access = requireOrg(event, 'supervisor');
	const { db } = ctx();
	const now = new Date();
	const titles = (courseSlug: string, moduleSlug: string) => {
		const course = catalog.bySlug.get(courseSlug);
		return {
			course: course?.meta.title ?? courseSlug,
			module: course?.modules.find((m) => m.slug === moduleSlug)?.title ?? moduleSlug
		};
	};
	const sessions = listSessions(db, access.org.id).map((s) => ({
		...s,
		...titles(s.courseSlug, s.moduleSlug),
		open: !s.closedAt,
		codeLive: !s.closedAt && !isExpired(s, now)
	}));
	return {
		courses: catalog.courses.map((c) => ({
			slug: c.slug,
			title: c.meta.title,
			modules: c.modules.map((m) => ({ slug: m.slug, title: m.title, minutes: m.minutes }))
		})),
		groups: listGroups(db, access.org.id).map(({ id, name }) => ({ id, name })),
		open: sessions.filter((s) => s.open),
		past: sessions.filter((s) => !s.open)
	};
};

const startSchema = z.object({
	module: z
		.string({ error: 'Choose a module.' })
		.regex(/^[a-z0-9-]{1,80}\/[a-z0-9-]{1,80}$/, 'Choose a module from the list.'),
	group: z
		.string()
		.optional()
		.transform((v) => (v ? Number(v) : null))
		.refine((v) => v === null || (Number.isInteger(v) && v > 0), 'Choose a group from the list.')
});

export const actions: Actions = {
	start: async (event) => {
		const access = requireOrg(event, 'supervisor');
		const form = await parseForm(event.request, startSchema, ['module', 'group']);
		if (!form.ok) return form.failure;
		const [courseSlug, moduleSlug] = form.data.module.split('/') as [string, string];
		const started = startSession(ctx().db, catalog, {
			orgId: access.org.id,
			courseSlug,
			moduleSlug,
			groupId: form.data.group,
			actor: { userId: event.locals.user!.id, ip: event.getClientAddress() }
		});
		if (!started.ok)
			return failForm(
				400,
				{ [started.field]: started.message },
				{ module: form.data.module, group: String(form.data.group ?? '') }
			);
		redirect(303, `/orgs/${access.org.slug}/rollcall/${started.sessionId}/present`);
	}
};
