import { ctx } from '$lib/server/app';
import { catalog } from '$lib/server/courses';
import { courseCard } from '$lib/server/courses/view';
import { progressByCourse, summarize } from '$lib/server/learning/progress';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	const progress = progressByCourse(ctx().db, locals.user!.id);
	return {
		courses: catalog.courses.map((c) => {
			const p = summarize(c, progress.get(c.slug) ?? new Set());
			return { ...courseCard(c), done: p.done };
		})
	};
};
