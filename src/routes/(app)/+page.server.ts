import { ctx } from '$lib/server/app';
import { catalog } from '$lib/server/courses';
import { progressByCourse, summarize } from '$lib/server/learning/progress';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	const progress = progressByCourse(ctx().db, locals.user!.id);
	const courses = catalog.courses.map((c) => {
		const p = summarize(c, progress.get(c.slug) ?? new Set());
		return {
			slug: c.slug,
			title: c.meta.title,
			done: p.done,
			total: p.total,
			next: p.next ? { slug: p.next.slug, title: p.next.title, minutes: p.next.minutes } : null
		};
	});
	return {
		name: locals.user!.name,
		inProgress: courses.filter((c) => c.done > 0),
		notStarted: courses.filter((c) => c.done === 0).map(({ slug, title }) => ({ slug, title }))
	};
};
