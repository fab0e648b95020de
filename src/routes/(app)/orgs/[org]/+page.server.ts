import { ctx } from '$lib/server/app';
import { layoutColumns } from '$lib/server/charts/columns';
import { catalog } from '$lib/server/courses';
import { orgDashboard } from '$lib/server/orgs/records';
import { requireOrg } from '$lib/server/orgs/guard';
import { trainingDashboard } from '$lib/server/training/dashboard';
import { requirementTitle } from '$lib/server/training/describe';
import type { PageServerLoad } from './$types';

const monthLong = new Intl.DateTimeFormat('en-GB', {
	month: 'long',
	year: 'numeric',
	timeZone: 'UTC'
});
const monthShort = new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: 'UTC' });

export const load: PageServerLoad = (event) => {
	const access = requireOrg(event, 'supervisor');
	const { db } = ctx();
	const d = trainingDashboard(db, access.org);
	const title = (key: string) => requirementTitle(catalog, key);
	return {
		stats: orgDashboard(db, access.org.id),
		training: {
			members: d.members,
			peopleOverdue: d.peopleOverdue,
			byCourse: d.byCourse.map((c) => ({ ...c, title: title(c.slug) })),
			byGroup: d.byGroup.map((g) => ({
				...g,
				courses: g.courses.map((c) => ({ ...c, title: title(c.slug) }))
			})),
			months: layoutColumns(
				d.months.map((m) => {
					const at = new Date(`${m.month}-01T00:00:00Z`);
					return {
						label: monthLong.format(at),
						short: monthShort.format(at),
						value: m.completions
					};
				})
			)
		}
	};
};
