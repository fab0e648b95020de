import { ctx } from '$lib/server/app';
import { catalog } from '$lib/server/courses';
import { KIND_FOR_CATEGORY } from '$lib/server/orgs/access';
import { listGroups, listMembers } from '$lib/server/orgs/members';
import { requireOrg } from '$lib/server/orgs/guard';
import { courseStandings } from '$lib/server/orgs/training';
import { ROLES, type Role } from '$lib/server/db/schema';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const access = requireOrg(event, 'supervisor');
	const { db } = ctx();
	const p = event.url.searchParams;
	const role = ROLES.find((r) => r === p.get('role')) as Role | undefined;
	const groupId = Number(p.get('group')) || undefined;
	const q = (p.get('q') ?? '').slice(0, 100);
	const page = Math.max(1, Math.min(100_000, Number(p.get('page')) || 1));
	// The course whose training status the list shows: the one asked for, else the first course
	// made for this kind of organization.
	const course =
		catalog.bySlug.get(p.get('course') ?? '') ??
		catalog.courses.find((c) => KIND_FOR_CATEGORY[c.meta.category] === access.org.kind) ??
		catalog.courses[0]!;
	const trainingParam = p.get('training');
	const training =
		trainingParam === 'completed' || trainingParam === 'not-completed' ? trainingParam : '';
	const members = listMembers(db, access.org.id, {
		q,
		role,
		groupId,
		page,
		training: training ? { course: course.slug, completed: training === 'completed' } : undefined
	});
	const standings = courseStandings(
		db,
		members.rows.map((r) => r.userId),
		course
	);
	return {
		filter: { q, role: role ?? '', group: groupId ?? 0, course: course.slug, training },
		groups: listGroups(db, access.org.id).map(({ id, name }) => ({ id, name })),
		courses: catalog.courses.map((c) => ({ value: c.slug, label: c.meta.title })),
		courseTitle: course.meta.title,
		members: {
			...members,
			rows: members.rows.map(({ userId, ...r }) => ({ ...r, standing: standings.get(userId)! }))
		}
	};
};
