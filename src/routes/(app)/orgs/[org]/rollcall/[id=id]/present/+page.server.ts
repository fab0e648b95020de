import { error } from '@sveltejs/kit';
import QRCode from 'qrcode';
import { ctx } from '$lib/server/app';
import { catalog } from '$lib/server/courses';
import { requireOrg } from '$lib/server/orgs/guard';
import { presenterSteps } from '$lib/server/rollcall/briefing';
import { displayCode } from '$lib/server/rollcall/code';
import { findSession, isExpired, presence } from '$lib/server/rollcall/sessions';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const access = requireOrg(event, 'supervisor');
	const { db, config } = ctx();
	const found = findSession(db, access.org.id, Number(event.params.id));
	if (!found) error(404, 'There is no such roll-call session.');
	const course = catalog.bySlug.get(found.courseSlug);
	const module = course?.modules.find((m) => m.slug === found.moduleSlug);
	if (!course || !module) error(404, 'This session’s module is no longer in the catalog.');
	const steps = presenterSteps(module);
	const raw = Number(event.url.searchParams.get('step') ?? '1');
	const step = Number.isInteger(raw) ? Math.min(Math.max(raw, 1), steps.length) : 1;
	const joinUrl = new URL(`/rollcall/${found.code}`, config.origin ?? event.url.origin).href;
	const qrSvg = await QRCode.toString(joinUrl, {
		type: 'svg',
		errorCorrectionLevel: 'M',
		margin: 2,
		color: { dark: '#000000', light: '#ffffff' }
	});
	return {
		session: {
			id: found.id,
			code: displayCode(found.code),
			courseTitle: course.meta.title,
			moduleTitle: module.title,
			closed: found.closedAt !== null,
			codeLive: !found.closedAt && !isExpired(found)
		},
		steps,
		step,
		joinUrl,
		joinHost: new URL(joinUrl).host,
		qrSvg,
		presence: presence(db, found.id)
	};
};
