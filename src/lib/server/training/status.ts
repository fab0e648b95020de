import type { DueKind } from '../db/schema';
import { addDays, addMonths, dayIn, daysBetween } from './days';

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
