/**
 * One way to write dates and times everywhere: "1 December 2026" and "4:27 pm CT".
 *
 * Times are shown in a time zone: the organization's (`organization.timeZone`) on staff pages and
 * for learners who belong to one, else the server's default (the browser's own zone replaces it
 * once the scripts run, see LocalTime.svelte). Pages use the LocalTime component; these helpers
 * are for text built in code (a sentence, an attribute).
 */

// Intl formatters are costly to build: keep one per zone and kind.
const cache = new Map<string, Intl.DateTimeFormat>();
function formatter(kind: 'date' | 'time', timeZone: string): Intl.DateTimeFormat {
	const key = `${kind}|${timeZone}`;
	let f = cache.get(key);
	if (!f) {
		f =
			kind === 'date'
				? new Intl.DateTimeFormat('en-GB', {
						day: 'numeric',
						month: 'long',
						year: 'numeric',
						timeZone
					})
				: new Intl.DateTimeFormat('en-US', {
						hour: 'numeric',
						minute: '2-digit',
						timeZone,
						timeZoneName: 'shortGeneric'
					});
		cache.set(key, f);
	}
	return f;
}

// Zone names already checked: building a formatter to check one costs more than formatting.
const known = new Map<string, boolean>();

/** Whether the runtime knows this IANA zone name. */
export function isTimeZone(tz: string | null | undefined): tz is string {
	if (!tz) return false;
	let ok = known.get(tz);
	if (ok === undefined) {
		try {
			new Intl.DateTimeFormat('en-US', { timeZone: tz });
			ok = true;
		} catch {
			ok = false;
		}
		// Bounded: zone names come from the database and the browser, not from every request.
		if (known.size < 1000) known.set(tz, ok);
	}
	return ok;
}

const safe = (tz?: string | null) => (isTimeZone(tz) ? tz : 'UTC');

/** A calendar date, e.g. "23 November 2026", as that day is in `timeZone` (UTC by default). */
export function day(d: Date, timeZone?: string | null): string {
	return formatter('date', safe(timeZone)).format(d);
}

/** A time of day with its zone, e.g. "4:27 pm CT" ("10:27 pm UTC" in UTC). */
export function clock(d: Date, timeZone?: string | null): string {
	const tz = safe(timeZone);
	const parts = formatter('time', tz).formatToParts(d);
	let out = '';
	for (const p of parts) {
		if (p.type === 'dayPeriod') out += p.value.toLowerCase();
		else if (p.type === 'timeZoneName')
			out += /^(UTC|Etc\/UTC|Etc\/GMT)$/.test(tz) ? 'UTC' : p.value;
		else out += p.value;
	}
	return out.replace(/\u202f/g, ' ');
}

/** A date and time, e.g. "1 December 2026, 4:27 pm CT". */
export function dateTime(d: Date, timeZone?: string | null): string {
	return `${day(d, timeZone)}, ${clock(d, timeZone)}`;
}

/** A moment today or later, as briefly as is clear: "4:27 pm CT" today, else with its date. */
export function when(d: Date, timeZone?: string | null, now = new Date()): string {
	return day(d, timeZone) === day(now, timeZone) ? clock(d, timeZone) : dateTime(d, timeZone);
}

/** How long until `d`, in words: "30 minutes left", "2 hours 5 minutes left", "time is up". */
export function timeLeft(d: Date, now = new Date()): string {
	const minutes = Math.ceil((d.getTime() - now.getTime()) / 60_000);
	if (minutes <= 0) return 'time is up';
	if (minutes < 60) return `${minutes} ${minutes === 1 ? 'minute' : 'minutes'} left`;
	const h = Math.floor(minutes / 60);
	const m = minutes % 60;
	if (h >= 48) return `${Math.floor(h / 24)} days left`;
	return `${h} ${h === 1 ? 'hour' : 'hours'}${m ? ` ${m} ${m === 1 ? 'minute' : 'minutes'}` : ''} left`;
}
