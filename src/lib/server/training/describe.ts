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
