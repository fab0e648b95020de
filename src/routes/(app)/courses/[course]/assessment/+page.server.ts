import { error, redirect } from '@sveltejs/kit';
import { ctx } from '$lib/server/app';
import { listAttempts, startAttempt } from '$lib/server/assessments/attempts';
import { checkEligibility } from '$lib/server/assessments/eligibility';
import { findCourse } from '$lib/server/courses';
import { failForm } from '$lib/server/forms';
import { latestCompletion } from '$lib/server/learning/completion';
import type { Actions, PageServerLoad } from './$types';

function courseOr404(slug: string) {
	const course = findCourse(slug);
	if (!course) error(404, 'There is no such course.');
	return course;
}

export const load: PageServerLoad = ({ params, locals }) => {
	const course = courseOr404(params.course);
	const { db } = ctx();
	const userId = locals.user!.id;
	const a = course.assessment;
	const scenarios = a.questions.filter((q) => q.kind === 'scenario').length;
	return {
		course: { slug: course.slug, title: course.meta.title },
		rules: {
			passingScore: course.meta.passingScore,
			attempts: a.attempts,
			waitMinutes: a.waitMinutes,
			timeLimitMinutes: a.timeLimitMinutes ?? null,
			showAnswers: a.showAnswers,
			questionCount: a.draw ?? a.questions.length - scenarios,
			scenarioCount: scenarios
		},
		eligibility: checkEligibility(db, userId, course),
		completion: latestCompletion(db, userId, course.slug) ?? null,
		attempts: listAttempts(db, userId, course.slug).map((x) => ({
			id: x.id,
			number: x.number,
			status: x.status,
			score: x.score,
			passed: x.passed,
			startedAt: x.startedAt,
			submittedAt: x.submittedAt
		}))
	};
};

export const actions: Actions = {
	start: ({ params, locals }) => {
		if (!locals.user) redirect(303, '/login');
		const course = courseOr404(params.course);
		const result = startAttempt(ctx().db, locals.user.id, course);
		if (result.ok) redirect(303, `/courses/${course.slug}/assessment/${result.attemptId}`);
		const messages = {
			modules_incomplete: 'Finish every module before you take the assessment.',
			no_attempts_left:
				'You have used every attempt this course allows. Ask your training coordinator.',
			completed: 'You have already completed this course.',
			wait: ''
		};
		const message =
			result.reason === 'wait'
				? `You can try again after ${result.until.toISOString().slice(11, 16)} UTC.`
				: messages[result.reason];
		return failForm(409, { form: message });
	}
};
