/** A date and time as people read it, in UTC and saying so: records must not shift with time zones. */
export function utc(d: Date): string {
	return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

// Built once: toLocaleDateString builds a new formatter on every call.
const dayFormat = new Intl.DateTimeFormat('en-GB', {
	day: 'numeric',
	month: 'long',
	year: 'numeric',
	timeZone: 'UTC'
});

/** A calendar date, e.g. "23 November 2026" (UTC). */
export function day(d: Date): string {
	return dayFormat.format(d);
}
