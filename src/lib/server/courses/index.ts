import { buildCatalog, type Catalog, type Course, type CourseModule } from './catalog';

// The course files are bundled into the server as text (never into the browser: this module
// is server-only), read and validated once when the server starts.
const raw = import.meta.glob('/courses/*/*.{md,yaml}', {
	query: '?raw',
	import: 'default',
	eager: true
}) as Record<string, string>;

export const catalog: Catalog = buildCatalog(
	new Map(Object.entries(raw).map(([path, text]) => [path.replace(/^\//, ''), text]))
);

export function findCourse(slug: string): Course | undefined {
	return catalog.bySlug.get(slug);
}

export function findModule(course: Course, slug: string): CourseModule | undefined {
	return course.modules.find((m) => m.slug === slug);
}

export type { Catalog, Course, CourseModule };
export type { Briefing } from './briefing';
