/**
 * Calendar days in an organization's time zone, as 'YYYY-MM-DD' strings. Due dates are days,
 * not instants: due "on the 15th" lasts until the end of the 15th where the organization is.
 * The arithmetic runs on the civil date (no time zone, no daylight-saving surprises).
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
	let f = formatters.get(timeZone);
	if (!f) {
		f = new Intl.DateTimeFormat('en-CA', {
			timeZone,
			year: 'numeric',
			month: '2-digit',
			day: '2-digit'
		});
		formatters.set(timeZone, f);
	}
	return f;
}

function slowDayIn(instant: Date, timeZone: string): string {
	const parts = formatter(timeZone).formatToParts(instant);
	const get = (type: string) => parts.find((p) => p.type === type)!.value;
	return `${get('year')}-${get('month')}-${get('day')}`;
}

// Offsets from UTC by zone and UTC quarter-hour: a zone's offset only changes at such a
// boundary, so one Intl call serves every instant in it (exports format 100,000s of dates).
const offsets = new Map<string, Map<number, number>>();
const QUARTER = 900_000;

const DAY_MS = 86_400_000;
const dayOffsets = new Map<string, Map<number, number | null>>();

/** The day an instant falls on in `timeZone`. */
export function dayIn(instant: Date, timeZone: string): string {
	const t = instant.getTime();
	// Most UTC days have one offset from start to end: one look-up serves the whole day.
	const d = Math.floor(t / DAY_MS);
	let days = dayOffsets.get(timeZone);
	if (!days) dayOffsets.set(timeZone, (days = new Map()));
	let whole = days.get(d);
	if (whole === undefined) {
		const a = offsetAt(d * DAY_MS, timeZone);
		const b = offsetAt(d * DAY_MS + DAY_MS - QUARTER, timeZone);
		whole = a === b ? a : null;
		if (days.size > 50_000) days.clear();
		days.set(d, whole);
	}
	return new Date(t + (whole ?? offsetAt(t, timeZone))).toISOString().slice(0, 10);
}

function offsetAt(t: number, timeZone: string): number {
	const bucket = Math.floor(t / QUARTER);
	let zone = offsets.get(timeZone);
	if (!zone) offsets.set(timeZone, (zone = new Map()));
	let offset = zone.get(bucket);
	if (offset === undefined) {
		const start = new Date(bucket * QUARTER);
		const parts = formatter(timeZone).formatToParts(start);
		const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
		const hm = hourMinute(timeZone).formatToParts(start);
		const h = Number(hm.find((p) => p.type === 'hour')!.value) % 24;
		const m = Number(hm.find((p) => p.type === 'minute')!.value);
		const local = Date.UTC(get('year'), get('month') - 1, get('day'), h, m);
		offset = local - start.getTime();
		if (zone.size > 50_000) zone.clear();
		zone.set(bucket, offset);
	}
	return offset;
}

const hm = new Map<string, Intl.DateTimeFormat>();
function hourMinute(timeZone: string): Intl.DateTimeFormat {
	let f = hm.get(timeZone);
	if (!f) {
		f = new Intl.DateTimeFormat('en-GB', {
			timeZone,
			hour: '2-digit',
			minute: '2-digit',
			hourCycle: 'h23'
		});
		hm.set(timeZone, f);
	}
	return f;
}

/** For tests: the plain Intl answer the cached one must match. */
export const _slowDayIn = slowDayIn;

export function isDay(s: string): boolean {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
	const [y, m, d] = s.split('-').map(Number) as [number, number, number];
	const t = new Date(Date.UTC(y, m - 1, d));
	return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

function toUtc(day: string): Date {
	const [y, m, d] = day.split('-').map(Number) as [number, number, number];
	return new Date(Date.UTC(y, m - 1, d));
}

function fromUtc(t: Date): string {
	return t.toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
	const t = toUtc(day);
	t.setUTCDate(t.getUTCDate() + n);
	return fromUtc(t);
}

/** Months later on the same day of the month, or the month's last day (31 Jan + 1 = 28/29 Feb). */
export function addMonths(day: string, n: number): string {
	const [y, m, d] = day.split('-').map(Number) as [number, number, number];
	const first = new Date(Date.UTC(y, m - 1 + n, 1));
	const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
	first.setUTCDate(Math.min(d, last));
	return fromUtc(first);
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: string, b: string): number {
	return Math.round((toUtc(b).getTime() - toUtc(a).getTime()) / 86_400_000);
}

export { dayLabel } from '../../training/states';

/** The ISO week of a day, e.g. "2027-W03" (for one digest a week). */
export function isoWeek(day: string): string {
	const t = toUtc(day);
	const weekday = (t.getUTCDay() + 6) % 7;
	t.setUTCDate(t.getUTCDate() - weekday + 3);
	const year = t.getUTCFullYear();
	const firstThursday = new Date(Date.UTC(year, 0, 4));
	const week =
		1 +
		Math.round(
			((t.getTime() - firstThursday.getTime()) / 86_400_000 -
				3 +
				((firstThursday.getUTCDay() + 6) % 7)) /
				7
		);
	return `${year}-W${String(week).padStart(2, '0')}`;
}

const starts = new Map<string, number>();

/**
 * The first instant (ms) of `day` in `timeZone`, as `dayIn` sees it: the smallest t with
 * dayIn(t) >= day. So `dayIn(t) < day` exactly when `t < dayStart(day)`, which lets SQL compare
 * stored instants with a day boundary (roster-counts.ts). Found by bisection on `dayIn` itself,
 * so a day that begins at 01:00 (daylight saving at midnight) is answered as dayIn answers.
 */
export function dayStart(day: string, timeZone: string): number {
	const key = `${timeZone} ${day}`;
	let t = starts.get(key);
	if (t === undefined) {
		const midnight = toUtc(day).getTime();
		// Zone offsets lie within ±14 hours: 36 hours either side brackets the answer.
		let lo = midnight - 36 * 3_600_000; // dayIn(lo) < day
		let hi = midnight + 36 * 3_600_000; // dayIn(hi) >= day
		while (hi - lo > 1) {
			const mid = Math.floor((lo + hi) / 2);
			if (dayIn(new Date(mid), timeZone) < day) lo = mid;
			else hi = mid;
		}
		t = hi;
		if (starts.size > 10_000) starts.clear();
		starts.set(key, t);
	}
	return t;
}

/** The first day d with addMonths(d, n) >= day (addMonths never goes back as d goes on). */
export function firstDayMonthsBefore(day: string, n: number): string {
	let d = addMonths(day, -n);
	while (addMonths(d, n) >= day) d = addDays(d, -1);
	while (addMonths(d, n) < day) d = addDays(d, 1);
	return d;
}
