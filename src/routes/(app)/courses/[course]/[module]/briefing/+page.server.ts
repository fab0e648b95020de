import { error } from '@sveltejs/kit';
import { ctx } from '$lib/server/app';
import { findCourse, findModule } from '$lib/server/courses';
import { agencyViewFor } from '$lib/server/orgs/policy';
import type { PageServerLoad } from './$types';

// The module's 2-minute version. Reading it does not complete the module: only the full
// module page has "Mark as complete".
export const load: PageServerLoad = ({ params, locals }) => {
	const course = findCourse(params.course);
	const module = course && findModule(course, params.module);
	if (!course || !module) error(404, 'There is no such module.');
	return {
		course: { slug: course.slug, title: course.meta.title },
		module: { slug: module.slug, title: module.title, minutes: module.minutes },
		briefing: module.briefing,
		agency: agencyViewFor(ctx().db, locals.user!.id)
	};
};
