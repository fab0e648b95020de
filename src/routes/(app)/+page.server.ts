import {
	invitationActions,
	invitationsLoad,
	resendVerification
} from '$lib/server/account/actions';
import { ctx } from '$lib/server/app';
import { listCertificates, statusOf } from '$lib/server/certificates/status';
import { catalog } from '$lib/server/courses';
import { progressByCourse, summarize } from '$lib/server/learning/progress';
import { KIND_FOR_CATEGORY, listMyOrganizations } from '$lib/server/orgs/access';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const { locals, url } = event;
	const { db } = ctx();
	const userId = locals.user!.id;
	const progress = progressByCourse(db, userId);
	const orgs = listMyOrganizations(db, userId);
	// The newest certificate per course (listCertificates is newest first).
	const certificates = new Map<string, ReturnType<typeof listCertificates>[number]>();
	for (const c of listCertificates(db, userId))
		if (!certificates.has(c.courseSlug)) certificates.set(c.courseSlug, c);
	const kinds = new Set(orgs.map((o) => o.kind));
	const courses = catalog.courses.map((c) => {
		const p = summarize(c, progress.get(c.slug) ?? new Set());
		const cert = certificates.get(c.slug);
		return {
			slug: c.slug,
			title: c.meta.title,
			minutes: c.totalMinutes,
			done: p.done,
			total: p.total,
			// Courses made for the kind of organization the learner belongs to come first.
			recommended: kinds.has(KIND_FOR_CATEGORY[c.meta.category]!),
			next: p.next ? { slug: p.next.slug, title: p.next.title, minutes: p.next.minutes } : null,
			certificate: cert
				? { code: cert.code, expiresAt: cert.expiresAt, status: statusOf(cert) }
				: null
		};
	});
	// A course whose certificate is still valid is done; an expired or revoked one is to redo.
	const completed = courses.filter((c) => c.certificate?.status === 'valid');
	const open = courses.filter((c) => c.certificate?.status !== 'valid');
	return {
		name: locals.user!.name,
		email: locals.user!.email,
		joined: url.searchParams.has('joined')
			? ((orgs.find((o) => o.slug === url.searchParams.get('joined')) ?? orgs.at(-1))?.name ?? null)
			: null,
		declined: url.searchParams.has('declined'),
		consent: invitationsLoad(event),
		orgs: orgs.map((o) => ({ slug: o.slug, name: o.name, staff: o.role !== 'learner' })),
		inProgress: open.filter((c) => c.done > 0 || c.certificate),
		toStart: open.filter((c) => c.done === 0 && !c.certificate && c.recommended),
		completed,
		others: open
			.filter((c) => c.done === 0 && !c.certificate && !c.recommended)
			.map(({ slug, title }) => ({ slug, title }))
	};
};

export const actions: Actions = {
	...invitationActions('/'),
	verification: resendVerification
};
