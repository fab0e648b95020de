/** Stored values as people say them: never show "ngo" or "shift" on a page. */
export const ORG_KIND_LABEL: Record<string, string> = {
	department: 'Police department',
	campus: 'Campus public safety',
	ngo: 'Non-profit organization (NGO)'
};

export const GROUP_KIND_LABEL: Record<string, string> = {
	unit: 'Unit',
	shift: 'Shift',
	team: 'Team'
};

export const ROLE_LABEL: Record<string, string> = {
	learner: 'Learner',
	supervisor: 'Supervisor',
	admin: 'Administrator'
};

export const COMPLETION_METHOD_LABEL: Record<string, string> = {
	'self-paced': 'online assessment',
	'roll-call': 'roll-call session'
};

/** A word for any value: the label if known, else the value with dashes and underscores as spaces. */
export function words(map: Record<string, string>, value: string | null | undefined): string {
	if (!value) return '';
	return map[value] ?? value.replace(/[_-]+/g, ' ');
}
