import type { DueKind } from '../db/schema';
import { addDays, addMonths, dayIn, dayStart, daysBetween, firstDayMonthsBefore } from './days';

/**
 * The status of one person against one requirement, computed from the records every time it
 * is needed (never stored): the assignment's rule, when it began to apply to the person,
 * their completions with each certificate's expiry and revocation, whether they have started,
 * and any exemption. Pure, so the rules are tested one by one (tests/unit/training-status).
 */

export const STATES = [
	'overdue',
	'expired',
	'due-soon',
	'in-progress',
	'not-started',
	'expiring',
	'exempt',
	'completed'
] as const;
/** In order of urgency: the first needs action soonest. */
export type State = (typeof STATES)[number];

export { STATE_LABELS } from '../../training/states';

export const DUE_SOON_DAYS = 14;
export const EXPIRING_DAYS = 60;

export interface Rule {
	dueKind: DueKind;
	dueOn: string | null;
	dueDays: number | null;
	renewalMonths: number | null;
}

export interface CompletionFact {
	completedAt: Date;
	/** The certificate's expiry; null when it never expires (or there is none). */
	expiresAt: Date | null;
	revoked: boolean;
}

export interface PersonFacts {
	/** When the person joined the organization. */
	joinedAt: Date;
	/** When the requirement began to apply to them (assigned, or joined the group later). */
	assignedAt: Date;
	completions: CompletionFact[];
	/** Their latest module read or assessment attempt in the course. */
	lastActivityAt: Date | null;
	/** The last day of an exemption in force (not withdrawn), if any. */
	exemptUntil: string | null;
}

export interface Status {
	state: State;
	/** The day the current cycle is due (the organization's day), if there is one. */
	dueOn: string | null;
	/** The latest completion that counts. */
	completedAt: Date | null;
	/** The day its certificate stops being valid. */
	validUntil: string | null;
	/** Read or attempted since the completion that counts (or ever, if none counts). */
	started: boolean;
	exemptUntil: string | null;
	/** Identifies the cycle for reminders: the due day, or 'once'. */
	cycle: string;
}

export function firstDueOn(
	rule: Rule,
	facts: Pick<PersonFacts, 'joinedAt' | 'assignedAt'>,
	timeZone: string
): string {
	if (rule.dueKind === 'fixed') return rule.dueOn!;
	const from = rule.dueKind === 'after_joining' ? facts.joinedAt : facts.assignedAt;
	return addDays(dayIn(from, timeZone), rule.dueDays ?? 0);
}

/** Whether a completion counts: never when revoked; before the assignment only while valid. */
export function counts(c: CompletionFact, assignedAt: Date, now: Date): boolean {
	if (c.revoked) return false;
	if (c.completedAt >= assignedAt) return true;
	return c.expiresAt === null || c.expiresAt > now;
}

export function requirementStatus(
	rule: Rule,
	facts: PersonFacts,
	now: Date,
	timeZone: string
): Status {
	const today = dayIn(now, timeZone);
	let latest: CompletionFact | null = null;
	for (const c of facts.completions) {
		if (counts(c, facts.assignedAt, now) && (!latest || c.completedAt > latest.completedAt))
			latest = c;
	}
	const started =
		facts.lastActivityAt !== null && (!latest || facts.lastActivityAt > latest.completedAt);
	const exempt = facts.exemptUntil !== null && today <= facts.exemptUntil;
	let state: State;
	let dueOn: string | null;
	let validUntil: string | null = null;
	if (latest) {
		const nextDue = rule.renewalMonths
			? addMonths(dayIn(latest.completedAt, timeZone), rule.renewalMonths)
			: null;
		validUntil = latest.expiresAt ? dayIn(latest.expiresAt, timeZone) : null;
		dueOn = nextDue;
		if (latest.expiresAt && latest.expiresAt <= now) {
			state = 'expired';
			dueOn ??= validUntil;
		} else if (nextDue && today > nextDue) state = 'overdue';
		else if (nextDue && daysBetween(today, nextDue) <= DUE_SOON_DAYS) state = 'due-soon';
		else if (
			latest.expiresAt &&
			latest.expiresAt.getTime() - now.getTime() <= EXPIRING_DAYS * 86_400_000
		)
			state = 'expiring';
		else state = 'completed';
	} else {
		dueOn = firstDueOn(rule, facts, timeZone);
		if (today > dueOn) state = 'overdue';
		else if (daysBetween(today, dueOn) <= DUE_SOON_DAYS) state = 'due-soon';
		else state = started ? 'in-progress' : 'not-started';
	}
	if (exempt && state !== 'completed' && state !== 'expiring') state = 'exempt';
	return {
		state,
		dueOn,
		completedAt: latest?.completedAt ?? null,
		validUntil,
		started,
		exemptUntil: exempt ? facts.exemptUntil : null,
		cycle: dueOn ?? 'once'
	};
}

/** The more urgent of two statuses (a person under two requirements for one course). */
export function moreUrgent(a: Status, b: Status): Status {
	return STATES.indexOf(a.state) <= STATES.indexOf(b.state) ? a : b;
}

/*
 * The same rule for counting a whole organization (roster-counts.ts: the dashboard, the
 * matrix's status filter): `requirementStatus` answers for one person with dates and words;
 * here a rule is turned once per view into instants where its answer changes, so each of
 * thousands of cells is a few number comparisons, with no object or date built per cell.
 * tests/unit/roster-counts.test.ts checks both give the same state for every cell of seeded
 * organizations (every state, renewals, make-up modules, exemptions, time zones).
 *
 * Days become instants with `dayStart`: since `dayIn` never goes back as time goes on,
 * `dayIn(t) < d` exactly when `t < dayStart(d)`.
 */

const NEVER = -8.64e15; // "t < NEVER" is false for every instant
const ALWAYS = 8.64e15; // "t < ALWAYS" is true for every instant

export const STATE_RANK = Object.fromEntries(STATES.map((s, i) => [s, i])) as Record<State, number>;

export interface CompiledRule {
	/** No completion counts: the first due day runs from joining (true) or from being assigned. */
	fromJoined: boolean;
	/** Overdue when that instant is before `dueOver`; else due soon when before `dueSoon`. */
	dueOver: number;
	dueSoon: number;
	/** A completion counts: overdue for renewal when made before `renewOver`; due soon before `renewSoon`. */
	renewOver: number;
	renewSoon: number;
}

/** `rule` on the day `today` (the organization's) in `timeZone`, as instants. */
export function compileRule(rule: Rule, today: string, timeZone: string): CompiledRule {
	let fromJoined = true;
	let dueOver: number;
	let dueSoon: number;
	if (rule.dueKind === 'fixed') {
		// The same day for everyone: overdue (or due soon) for all or for none.
		dueOver = today > rule.dueOn! ? ALWAYS : NEVER;
		dueSoon = daysBetween(today, rule.dueOn!) <= DUE_SOON_DAYS ? ALWAYS : NEVER;
	} else {
		// dueOn = dayIn(from) + k: overdue when dueOn < today, i.e. dayIn(from) < today − k;
		// due soon when dueOn <= today + 14, i.e. dayIn(from) < today + 15 − k.
		fromJoined = rule.dueKind === 'after_joining';
		const k = rule.dueDays ?? 0;
		dueOver = dayStart(addDays(today, -k), timeZone);
		dueSoon = dayStart(addDays(today, DUE_SOON_DAYS + 1 - k), timeZone);
	}
	let renewOver = NEVER;
	let renewSoon = NEVER;
	if (rule.renewalMonths) {
		// next = addMonths(dayIn(completed), n) keeps order: "next < today" is
		// "dayIn(completed) < the first day whose renewal falls on or after today".
		const n = rule.renewalMonths;
		renewOver = dayStart(firstDayMonthsBefore(today, n), timeZone);
		renewSoon = dayStart(firstDayMonthsBefore(addDays(today, DUE_SOON_DAYS + 1), n), timeZone);
	}
	return { fromJoined, dueOver, dueSoon, renewOver, renewSoon };
}

/**
 * A completion as one number: completedAt × 4 + 0 (no expiry, or more than 60 days left at
 * `now`), 1 (expiring within 60 days) or 2 (expired). The larger is the later (max() finds the
 * latest); instants are below 2^51, so it stays an exact integer.
 */
export function packCompletion(completedAt: number, expiresAt: number | null, now: number): number {
	const code =
		expiresAt === null
			? 0
			: expiresAt <= now
				? 2
				: expiresAt - now <= EXPIRING_DAYS * 86_400_000
					? 1
					: 0;
	return completedAt * 4 + code;
}

/** SQL for `packCompletion` (parameter `:now`), so the database can take max() of it. */
export function packCompletionSql(at: string, exp: string): string {
	return `${at} * 4 + case when ${exp} is null then 0 when ${exp} <= :now then 2
		when ${exp} - :now <= ${EXPIRING_DAYS * 86_400_000} then 1 else 0 end`;
}

/**
 * The completion that counts (`counts`), packed, or NaN: of a person's completions not revoked,
 * `latest` is the latest and `latestValid` the latest whose certificate is still valid (each
 * packed, NaN when none). The latest counts if made since the requirement applied to them;
 * else only a valid one does, and the latest valid is the one.
 */
export function countingCompletion(
	latest: number,
	latestValid: number,
	assignedAt: number
): number {
	return latest === latest && Math.floor(latest / 4) >= assignedAt ? latest : latestValid;
}

/**
 * The state's rank (index in STATES) of one cell, as `requirementStatus` decides it, from the
 * completion that counts (`countingCompletion`, NaN when none); `joinedAt`, `assignedAt` in ms.
 */
export function compiledState(
	r: CompiledRule,
	joinedAt: number,
	assignedAt: number,
	l: number,
	started: boolean,
	exempt: boolean
): number {
	let s: number;
	if (l === l) {
		const code = l % 4;
		const at = (l - code) / 4;
		s =
			code === 2
				? STATE_RANK.expired
				: at < r.renewOver
					? STATE_RANK.overdue
					: at < r.renewSoon
						? STATE_RANK['due-soon']
						: code === 1
							? STATE_RANK.expiring
							: STATE_RANK.completed;
	} else {
		const from = r.fromJoined ? joinedAt : assignedAt;
		s =
			from < r.dueOver
				? STATE_RANK.overdue
				: from < r.dueSoon
					? STATE_RANK['due-soon']
					: started
						? STATE_RANK['in-progress']
						: STATE_RANK['not-started'];
	}
	if (exempt && s !== STATE_RANK.completed && s !== STATE_RANK.expiring) s = STATE_RANK.exempt;
	return s;
}
