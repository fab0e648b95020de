import type { Catalog } from '../courses/catalog';
import type { Assignment } from './roster-status';
import { dayLabel } from './days';

/** "Everyone", "Patrol A shift, Night shift", "3 people". */
export function whoLabel(a: Assignment, groupNames: Map<number, string>): string {
	if (a.scope === 'org') return 'Everyone in the organization';
	if (a.scope === 'groups')
		return a.groupIds.map((g) => groupNames.get(g) ?? 'a removed group').join(', ');
	return a.userIds.length === 1 ? '1 person' : `${a.userIds.length} people`;
}

export function dueLabel(a: Pick<Assignment, 'dueKind' | 'dueOn' | 'dueDays'>): string {
	if (a.dueKind === 'fixed') return `By ${dayLabel(a.dueOn!)}`;
	const days = a.dueDays === 1 ? '1 day' : `${a.dueDays} days`;
	return a.dueKind === 'after_joining' ? `${days} after joining` : `${days} after being assigned`;
}

export function renewalLabel(a: Pick<Assignment, 'renewalMonths'>): string {
	if (!a.renewalMonths) return 'Once';
	if (a.renewalMonths === 12) return 'Every year';
	return a.renewalMonths === 1 ? 'Every month' : `Every ${a.renewalMonths} months`;
}

/**
 * The title of a requirement by its key (`requirementKey`): the course's title, or for one
 * module "Module title (Course title)". An unknown key shows as itself.
 */
export function requirementTitle(catalog: Catalog, key: string): string {
	const [courseSlug, moduleSlug] = key.split('/');
	const course = catalog.bySlug.get(courseSlug ?? '');
	if (!course) return key;
	if (!moduleSlug) return course.meta.title;
	const module = course.modules.find((m) => m.slug === moduleSlug);
	return module ? `${module.title} (${course.meta.title})` : key;
}

/** Whether a key names a course or a module of the catalog (query strings are checked with it). */
export function isRequirementKey(catalog: Catalog, key: string): boolean {
	return requirementTitle(catalog, key) !== key;
}

/** Every course's and module's title by requirement key (reminders take them as a map). */
export function requirementTitles(catalog: Catalog): Map<string, string> {
	const titles = new Map<string, string>();
	for (const c of catalog.courses) {
		titles.set(c.slug, c.meta.title);
		for (const m of c.modules) titles.set(`${c.slug}/${m.slug}`, `${m.title} (${c.meta.title})`);
	}
	return titles;
}
