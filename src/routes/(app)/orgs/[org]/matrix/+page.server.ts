import { ctx } from '$lib/server/app';
import { catalog } from '$lib/server/courses';
import { requireOrg } from '$lib/server/orgs/guard';
import { isState, trainingMatrix } from '$lib/server/training/dashboard';
import { STATE_LABELS } from '$lib/server/training/status';
import { isRequirementKey, requirementTitle } from '$lib/server/training/describe';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const access = requireOrg(event, 'supervisor');
	const p = event.url.searchParams;
	const status = p.get('status');
	const groupId = Number(p.get('group')) || undefined;
	const course = isRequirementKey(catalog, p.get('course') ?? '') ? p.get('course')! : undefined;
	const q = (p.get('q') ?? '').slice(0, 100);
	const page = Math.max(1, Math.min(100_000, Number(p.get('page')) || 1));
	const m = trainingMatrix(ctx().db, access.org, {
		groupId,
		status: isState(status) ? status : undefined,
		course,
		q,
		page
	});
	return {
		filter: { q, status: isState(status) ? status : '', group: groupId ?? 0, course: course ?? '' },
		statuses: Object.entries(STATE_LABELS).map(([value, label]) => ({ value, label })),
		courses: m.courses.map((slug) => ({
			slug,
			title: requirementTitle(catalog, slug)
		})),
		matrix: { ...m, courses: undefined }
	};
};
