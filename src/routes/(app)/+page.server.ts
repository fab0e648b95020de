import {
	invitationActions,
	invitationsLoad,
	resendVerification
} from '$lib/server/account/actions';
import { ctx } from '$lib/server/app';
import { catalog } from '$lib/server/courses';
import { progressByCourse, summarize } from '$lib/server/learning/progress';
import { KIND_FOR_CATEGORY, listMyOrganizations } from '$lib/server/orgs/access';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const { locals, url } = event;
	const { db } = ctx();
	const progress = progressByCourse(db, locals.user!.id);
	const orgs = listMyOrganizations(db, locals.user!.id);
	const kinds = new Set(orgs.map((o) => o.kind));
	const courses = catalog.courses.map((c) => {
		const p = summarize(c, progress.get(c.slug) ?? new Set());
		return {
			slug: c.slug,
			title: c.meta.title,
			minutes: c.totalMinutes,
			done: p.done,
			total: p.total,
			// Courses made for the kind of organization the learner belongs to come first.
			recommended: kinds.has(KIND_FOR_CATEGORY[c.meta.category]!),
			next: p.next ? { slug: p.next.slug, title: p.next.title, minutes: p.next.minutes } : null
		};
	});
	return {
		name: locals.user!.name,
		email: locals.user!.email,
		joined: url.searchParams.has('joined')
			? ((orgs.find((o) => o.slug === url.searchParams.get('joined')) ?? orgs.at(-1))?.name ?? null)
			: null,
		declined: url.searchParams.has('declined'),
		consent: invitationsLoad(event),
		orgs: orgs.map((o) => ({ slug: o.slug, name: o.name, staff: o.role !== 'learner' })),
		inProgress: courses.filter((c) => c.done > 0),
		toStart: courses.filter((c) => c.done === 0 && c.recommended),
		others: courses
			.filter((c) => c.done === 0 && !c.recommended)
			.map(({ slug, title }) => ({ slug, title }))
	};
};

export const actions: Actions = {
	...invitationActions('/'),
	verification: resendVerification
};
