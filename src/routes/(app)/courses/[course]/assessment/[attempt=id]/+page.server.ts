import { error, redirect } from '@sveltejs/kit';
import { ctx } from '$lib/server/app';
import {
	closeExpired,
	findAttempt,
	submitInGroup,
	takeScenarioStep
} from '$lib/server/assessments/attempts';
import { attemptForm, attemptResults } from '$lib/server/assessments/view';
import { findCourse } from '$lib/server/courses';
import { failForm } from '$lib/server/forms';
import { issuerFor } from '$lib/server/orgs/access';
import { latestCompletion } from '$lib/server/learning/completion';
import type { Actions, PageServerLoad } from './$types';

function lookup(params: { course: string; attempt: string }, userId: number) {
	const course = findCourse(params.course);
	if (!course) error(404, 'There is no such course.');
	const attemptId = Number(params.attempt);
	// Another learner's attempt is "not found", exactly like one that does not exist.
	const attempt = findAttempt(ctx().db, userId, attemptId, course.slug);
	if (!attempt) error(404, 'There is no such attempt.');
	return { course, attempt, attemptId };
}

export const load: PageServerLoad = ({ params, locals }) => {
	const { db } = ctx();
	const userId = locals.user!.id;
	const found = lookup(params, userId);
	const course = found.course;
	let attempt = found.attempt;
	if (attempt.status === 'in_progress') {
		db.transaction((tx) => closeExpired(tx, userId, course, new Date()));
		attempt = lookup(params, userId).attempt;
	}
	const header = {
		course: { slug: course.slug, title: course.meta.title },
		number: attempt.number
	};
	if (attempt.status === 'in_progress') {
		return {
			...header,
			mode: 'form' as const,
			deadlineAt: attempt.deadlineAt,
			form: attemptForm(db, course, attempt)
		};
	}
	return {
		...header,
		mode: 'results' as const,
		results: attemptResults(db, course, attempt),
		completion: latestCompletion(db, userId, course.slug) ?? null
	};
};

const DIGITS = /^\d{1,2}$/;

export const actions: Actions = {
	step: async ({ params, locals, request }) => {
		if (!locals.user) redirect(303, '/login');
		const { course, attemptId } = lookup(params, locals.user.id);
		const form = await request.formData().catch(() => null);
		const question = form?.get('scenario');
		const step = form?.get('step');
		const choice = form?.get('choice');
		if (
			typeof question !== 'string' ||
			typeof step !== 'string' ||
			question.length > 100 ||
			step.length > 100
		) {
			return failForm(400, { form: 'The form could not be read. Reload the page and try again.' });
		}
		if (typeof choice !== 'string' || !DIGITS.test(choice)) {
			return failForm(400, { choice: 'Choose one of the options, then continue.' });
		}
		const result = takeScenarioStep(ctx().db, locals.user.id, course, {
			attemptId,
			questionId: question,
			stepId: step,
			choice: Number(choice)
		});
		if (
			result.ok ||
			result.reason === 'stale_step' ||
			result.reason === 'scenario_finished' ||
			result.reason === 'closed' ||
			result.reason === 'time_up'
		) {
			// Stale or repeated posts (a second tab, the back button) just show where things stand.
			redirect(303, `/courses/${course.slug}/assessment/${attemptId}`);
		}
		if (result.reason === 'invalid_choice')
			return failForm(400, { choice: 'That choice is not one of the options.' });
		error(404, 'There is no such attempt.');
	},
	submit: async ({ params, locals, request }) => {
		if (!locals.user) redirect(303, '/login');
		const { course, attemptId } = lookup(params, locals.user.id);
		const form = await request.formData().catch(() => null);
		if (!form) return failForm(400, { form: 'The answers could not be read. Please try again.' });
		const answers = new Map<string, number[]>();
		const values: Record<string, string> = {};
		for (const [key, value] of form.entries()) {
			const m = /^q-([a-z0-9-]{1,80})$/.exec(key);
			if (!m || typeof value !== 'string' || !DIGITS.test(value)) {
				return failForm(400, {
					form: 'The form holds something that is not an answer. Reload the page and try again.'
				});
			}
			answers.set(m[1]!, [...(answers.get(m[1]!) ?? []), Number(value)]);
			values[key] = values[key] ? `${values[key]},${value}` : value;
		}
		const { db, config } = ctx();
		const result = await submitInGroup(
			db,
			locals.user.id,
			course,
			attemptId,
			answers,
			new Date(),
			issuerFor(db, locals.user.id, course.meta.category, config.instanceName)
		);
		if (result.ok || result.reason === 'time_up')
			redirect(303, `/courses/${course.slug}/assessment/${attemptId}`);
		if (result.reason === 'invalid') {
			const count = Object.keys(result.errors).filter((k) => k !== 'form').length;
			return failForm(
				400,
				{
					...result.errors,
					form:
						result.errors.form ??
						`${count} ${count === 1 ? 'question needs' : 'questions need'} an answer. Nothing was recorded yet.`
				},
				values
			);
		}
		if (result.reason === 'scenarios_unfinished') {
			return failForm(400, { form: 'Finish the scenarios first.' });
		}
		error(404, 'There is no such attempt.');
	}
};
