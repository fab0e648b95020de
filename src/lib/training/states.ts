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

const long = new Intl.DateTimeFormat('en-GB', {
	day: 'numeric',
	month: 'long',
	year: 'numeric',
	timeZone: 'UTC'
});

/** "15 March 2027" for a day written YYYY-MM-DD (a day in the organization's zone). */
export function dayLabel(day: string): string {
	const [y, m, d] = day.split('-').map(Number) as [number, number, number];
	return long.format(new Date(Date.UTC(y, m - 1, d)));
}

/** "1.5 h" */
export function hours(n: number): string {
	return `${Number.isInteger(n) ? n : n.toFixed(n * 10 === Math.round(n * 10) ? 1 : 2)} h`;
}
