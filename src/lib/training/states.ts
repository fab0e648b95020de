// Status words, shared by the pages (the server computes the states).
export const STATE_LABELS = {
	overdue: 'Overdue',
	expired: 'Expired',
	'due-soon': 'Due soon',
	'in-progress': 'In progress',
	'not-started': 'Not started',
	expiring: 'Expiring',
	exempt: 'Exempt',
	completed: 'Completed'
} as const;
export type StateName = keyof typeof STATE_LABELS;
