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
import { myRequirements, type MyRequirement } from '$lib/server/training/learner';
import { dayLabel } from '$lib/server/training/days';
import { requirementTitle } from '$lib/server/training/describe';
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
	const bySlug = new Map(courses.map((c) => [c.slug, c]));
	// Required training first: one tap from here to the next module.
	type Required = {
		orgName: string;
		state: MyRequirement['state'];
		due: string | null;
		validUntil: string | null;
		exemptUntil: string | null;
		slug: string;
		title: string;
		module: boolean;
		done: number;
		total: number;
		href: string;
		action: string;
		next: string | null;
		certificate: string | null;
	};
	const required = myRequirements(db, locals.user!.id).flatMap((r): Required[] => {
		const c = bySlug.get(r.courseSlug);
		if (!c) return [];
		const open = r.state !== 'completed' && r.state !== 'exempt' && r.state !== 'expiring';
		const common = {
			orgName: r.orgName,
			state: r.state,
			due: r.dueOn ? dayLabel(r.dueOn) : null,
			validUntil: r.validUntil ? dayLabel(r.validUntil) : null,
			exemptUntil: r.exemptUntil ? dayLabel(r.exemptUntil) : null
		};
		// One module (a roll-call make-up): done by reading it, one tap away.
		if (r.moduleSlug)
			return [
				{
					...common,
					slug: r.key,
					title: requirementTitle(catalog, r.key),
					module: true,
					done: r.completedAt ? 1 : 0,
					total: 0,
					href: `/courses/${r.key}`,
					action: open ? 'Start' : 'Open',
					next: null,
					certificate: null
				}
			];
		return [
			{
				...common,
				slug: c.slug,
				title: c.title,
				module: false,
				done: c.done,
				total: c.total,
				href: !open
					? `/courses/${c.slug}`
					: c.next && !(r.completedAt && c.done === c.total)
						? `/courses/${c.slug}/${c.next.slug}`
						: `/courses/${c.slug}/assessment`,
				action: !open
					? 'Open'
					: c.done > 0 && c.next
						? 'Resume'
						: c.next
							? 'Start'
							: 'Take the assessment',
				next: open && c.next ? c.next.title : null,
				certificate: !open && c.certificate?.status === 'valid' ? c.certificate.code : null
			}
		];
	});
	const requiredSlugs = new Set(required.filter((r) => !r.module).map((r) => r.slug));
	const notRequired = (c: { slug: string }) => !requiredSlugs.has(c.slug);
	// A course whose certificate is still valid is done; an expired or revoked one is to redo.
	const completed = courses.filter((c) => c.certificate?.status === 'valid' && notRequired(c));
	const open = courses.filter((c) => c.certificate?.status !== 'valid' && notRequired(c));
	return {
		name: locals.user!.name,
		email: locals.user!.email,
		required,
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
