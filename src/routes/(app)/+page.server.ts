import { ctx } from '$lib/server/app';
import { catalog } from '$lib/server/courses';
import { progressByCourse, summarize } from '$lib/server/learning/progress';
import { KIND_FOR_CATEGORY, listMyOrganizations } from '$lib/server/orgs/access';
import { myRequirements } from '$lib/server/training/learner';
import { dayLabel } from '$lib/server/training/days';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	const { db } = ctx();
	const progress = progressByCourse(db, locals.user!.id);
	const orgs = listMyOrganizations(db, locals.user!.id);
	const kinds = new Set(orgs.map((o) => o.kind));
	const courses = catalog.courses.map((c) => {
		const p = summarize(c, progress.get(c.slug) ?? new Set());
		return {
			slug: c.slug,
			title: c.meta.title,
			minutes: c.totalMinutes,
			done: p.done,
			total: p.total,
			// Courses made for the kind of organization the learner belongs to come first.
			recommended: kinds.has(KIND_FOR_CATEGORY[c.meta.category]!),
			next: p.next ? { slug: p.next.slug, title: p.next.title, minutes: p.next.minutes } : null
		};
	});
	const bySlug = new Map(courses.map((c) => [c.slug, c]));
	// Required training first: one tap from here to the next module.
	const required = myRequirements(db, locals.user!.id).flatMap((r) => {
		const c = bySlug.get(r.courseSlug);
		if (!c) return [];
		const open = r.state !== 'completed' && r.state !== 'exempt' && r.state !== 'expiring';
		return [
			{
				slug: c.slug,
				title: c.title,
				orgName: r.orgName,
				state: r.state,
				due: r.dueOn ? dayLabel(r.dueOn) : null,
				validUntil: r.validUntil ? dayLabel(r.validUntil) : null,
				exemptUntil: r.exemptUntil ? dayLabel(r.exemptUntil) : null,
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
				next: open && c.next ? c.next.title : null
			}
		];
	});
	const requiredSlugs = new Set(required.map((r) => r.slug));
	return {
		name: locals.user!.name,
		required,
		joined: url.searchParams.has('joined') ? (orgs.at(-1)?.name ?? null) : null,
		orgs: orgs.map((o) => ({ slug: o.slug, name: o.name, staff: o.role !== 'learner' })),
		inProgress: courses.filter((c) => c.done > 0 && !requiredSlugs.has(c.slug)),
		toStart: courses.filter((c) => c.done === 0 && c.recommended && !requiredSlugs.has(c.slug)),
		others: courses
			.filter((c) => c.done === 0 && !c.recommended && !requiredSlugs.has(c.slug))
			.map(({ slug, title }) => ({ slug, title }))
	};
};
