import { error } from '@sveltejs/kit';
import { ctx } from '$lib/server/app';
import { findCourse } from '$lib/server/courses';
import { courseCard, moduleLink } from '$lib/server/courses/view';
import { latestCompletion } from '$lib/server/learning/completion';
import { completedModules, summarize } from '$lib/server/learning/progress';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params, locals }) => {
	const course = findCourse(params.course);
	if (!course) error(404, 'There is no such course.');
	const { db } = ctx();
	const done = completedModules(db, locals.user!.id, course.slug);
	const completion = latestCompletion(db, locals.user!.id, course.slug);
	const progress = summarize(course, done);
	return {
		course: {
			...courseCard(course),
			version: course.meta.version,
			overviewFile: course.overviewFile
		},
		modules: course.modules.map((m) => ({ ...moduleLink(m), done: done.has(m.slug) })),
		progress: { done: progress.done, total: progress.total, next: progress.next?.slug ?? null },
		completion: completion ? { completedAt: completion.completedAt, score: completion.score } : null
	};
};
