import type { Course, CourseModule } from './catalog';

// What the pages may show of a course: settings and titles, never the quick-check answers or
// the assessment. Loads return these explicit shapes, not catalog objects.

export interface CourseCard {
	slug: string;
	title: string;
	summary: string;
	audience: string;
	creditHours: number;
	totalMinutes: number;
	moduleCount: number;
}

export function courseCard(course: Course): CourseCard {
	return {
		slug: course.slug,
		title: course.meta.title,
		summary: course.meta.summary,
		audience: course.meta.audience,
		creditHours: course.meta.creditHours,
		totalMinutes: course.totalMinutes,
		moduleCount: course.modules.length
	};
}

export interface ModuleLink {
	slug: string;
	title: string;
	minutes: number;
}

export function moduleLink(m: CourseModule): ModuleLink {
	return { slug: m.slug, title: m.title, minutes: m.minutes };
}
