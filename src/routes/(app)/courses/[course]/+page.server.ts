import { error } from '@sveltejs/kit';
import { ctx } from '$lib/server/app';
import { findCourse } from '$lib/server/courses';
import { courseCard, moduleLink } from '$lib/server/courses/view';
import { completedModules, summarize } from '$lib/server/learning/progress';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params, locals }) => {
	const course = findCourse(params.course);
	if (!course) error(404, 'There is no such course.');
	const done = completedModules(ctx().db, locals.user!.id, course.slug);
	const progress = summarize(course, done);
	return {
		course: {
			...courseCard(course),
			version: course.meta.version,
			overviewFile: course.overviewFile
		},
		modules: course.modules.map((m) => ({ ...moduleLink(m), done: done.has(m.slug) })),
		progress: { done: progress.done, total: progress.total, next: progress.next?.slug ?? null }
	};
};
