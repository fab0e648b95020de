import { error, redirect } from '@sveltejs/kit';
import { ctx } from '$lib/server/app';
import { findCourse, findModule } from '$lib/server/courses';
import { moduleLink } from '$lib/server/courses/view';
import { failForm } from '$lib/server/forms';
import { agencyViewFor } from '$lib/server/orgs/policy';
import {
	completedModuleSessions,
	gradeQuickCheck,
	recordModuleComplete
} from '$lib/server/learning/progress';
import { moduleDoneAtRollcall } from '$lib/server/rollcall/transcript';
import { readCheckAnswers } from '$lib/server/learning/check-answers';
import type { Actions, PageServerLoad } from './$types';

function lookup(params: { course: string; module: string }) {
	const course = findCourse(params.course);
	const module = course && findModule(course, params.module);
	if (!course || !module) error(404, 'There is no such module.');
	return { course, module };
}

export const load: PageServerLoad = ({ params, locals }) => {
	const { course, module } = lookup(params);
	// Done modules with their roll-call session, if any: the attendance look-up below runs only
	// for a module done at a roll call (a join, once a third of this page's server time).
	const done = completedModuleSessions(ctx().db, locals.user!.id, course.slug);
	const index = course.modules.indexOf(module);
	const prev = course.modules[index - 1];
	const next = course.modules[index + 1];
	return {
		course: { slug: course.slug, title: course.meta.title },
		module: {
			...moduleLink(module),
			file: module.file,
			objectives: module.objectives,
			sources: module.sources,
			references: module.references.map((r) => ({
				title: r.title,
				publisher: r.publisher ?? null,
				date: r.date ?? null,
				url: r.url ?? null
			})),
			reviewed: module.reviewed,
			done: done.has(module.slug),
			rollcall: done.get(module.slug)
				? (moduleDoneAtRollcall(ctx().db, locals.user!.id, course.slug, module.slug) ?? null)
				: null
		},
		// Prompts and option texts only: which answer is right stays on the server.
		check: module.check.map((q) => ({
			id: q.id,
			prompt: q.prompt,
			options: q.options.map((o) => o.text)
		})),
		position: { index: index + 1, total: course.modules.length, done: done.size },
		// The learner's organization's own entries for the lesson's "In our agency" boxes.
		agency: agencyViewFor(ctx().db, locals.user!.id),
		prev: prev ? moduleLink(prev) : null,
		next: next ? moduleLink(next) : null
	};
};

export const actions: Actions = {
	check: async ({ params, locals, request }) => {
		if (!locals.user) redirect(303, '/login');
		const { course, module } = lookup(params);
		let form: FormData;
		try {
			form = await request.formData();
		} catch {
			return failForm(400, { check: 'The answers could not be read. Please try again.' });
		}
		const read = readCheckAnswers(form, module);
		if (!read.ok) return failForm(400, read.errors);
		const results = gradeQuickCheck(ctx().db, locals.user.id, course, module, read.answers);
		return { results };
	},
	complete: ({ params, locals }) => {
		if (!locals.user) redirect(303, '/login');
		const { course, module } = lookup(params);
		recordModuleComplete(ctx().db, locals.user.id, course, module);
		const next = course.modules[course.modules.indexOf(module) + 1];
		redirect(
			303,
			next ? `/courses/${course.slug}/${next.slug}` : `/courses/${course.slug}?finished=1`
		);
	}
};
