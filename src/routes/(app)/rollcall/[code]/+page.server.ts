import { error, redirect } from '@sveltejs/kit';
import { ctx } from '$lib/server/app';
import { catalog } from '$lib/server/courses';
import { failForm } from '$lib/server/forms';
import { gradeQuickCheck } from '$lib/server/learning/progress';
import { readCheckAnswers } from '$lib/server/learning/check-answers';
import { displayCode, normalizeCode } from '$lib/server/rollcall/code';
import { JOIN_MESSAGES, joinByCode, sessionForAttendee } from '$lib/server/rollcall/sessions';
import { joinThrottle } from '$lib/server/rollcall/throttle';
import type { Actions, PageServerLoad } from './$types';

// The page a QR code opens. Until the officer has joined it says nothing about the session (a
// page that told whether a code exists would let anyone test codes without the join throttle).
export const load: PageServerLoad = ({ params, locals }) => {
	const code = normalizeCode(params.code);
	if (!code) error(404, 'That is not a roll-call code. Codes have six letters and digits.');
	if (params.code !== code) redirect(307, `/rollcall/${code}`);
	const joined = sessionForAttendee(ctx().db, code, locals.user!.id);
	const base = { code, display: displayCode(code) };
	if (!joined) return { ...base, joined: null };
	const course = catalog.bySlug.get(joined.courseSlug);
	const module = course?.modules.find((m) => m.slug === joined.moduleSlug);
	if (!course || !module) error(404, 'This session’s module is no longer in the catalog.');
	return {
		...base,
		joined: {
			orgName: joined.orgName,
			leaderName: joined.leaderName,
			closed: joined.closedAt !== null,
			courseSlug: course.slug,
			courseTitle: course.meta.title,
			moduleSlug: module.slug,
			moduleTitle: module.title,
			objectives: module.objectives
		},
		// Prompts and option texts only: which answer is right stays on the server.
		check: module.check.map((q) => ({
			id: q.id,
			prompt: q.prompt,
			options: q.options.map((o) => o.text)
		}))
	};
};

export const actions: Actions = {
	join: ({ params, locals, getClientAddress }) => {
		if (!locals.user)
			redirect(303, `/login?next=${encodeURIComponent(`/rollcall/${params.code}`)}`);
		const joined = joinByCode(ctx().db, joinThrottle, {
			code: params.code,
			userId: locals.user.id,
			ip: getClientAddress()
		});
		if (!joined.ok) return failForm(400, { form: JOIN_MESSAGES[joined.reason] });
		redirect(303, `/rollcall/${normalizeCode(params.code)}`);
	},
	check: async ({ params, locals, request }) => {
		if (!locals.user)
			redirect(303, `/login?next=${encodeURIComponent(`/rollcall/${params.code}`)}`);
		const { db } = ctx();
		const joined = sessionForAttendee(db, params.code, locals.user.id);
		if (!joined) return failForm(403, { form: 'Join the session first.' });
		const course = catalog.bySlug.get(joined.courseSlug);
		const module = course?.modules.find((m) => m.slug === joined.moduleSlug);
		if (!course || !module) error(404, 'This session’s module is no longer in the catalog.');
		let form: FormData;
		try {
			form = await request.formData();
		} catch {
			return failForm(400, { check: 'The answers could not be read. Please try again.' });
		}
		const read = readCheckAnswers(form, module);
		if (!read.ok) return failForm(400, read.errors);
		return { results: gradeQuickCheck(db, locals.user.id, course, module, read.answers) };
	}
};
