import { describe, expect, it } from 'vitest';
import { addMonths, dayIn, isoWeek } from '../../src/lib/server/training/days';
import {
	requirementStatus,
	type CompletionFact,
	type PersonFacts,
	type Rule
} from '../../src/lib/server/training/status';

// Each case picks its dates so that a wrong rule gives a different answer.
const LA = 'America/Los_Angeles';
const CHI = 'America/Chicago';
const t = (iso: string) => new Date(iso);

function facts(over: Partial<PersonFacts> = {}): PersonFacts {
	return {
		joinedAt: t('2026-01-05T15:00:00Z'),
		assignedAt: t('2026-01-05T15:00:00Z'),
		completions: [],
		lastActivityAt: null,
		exemptUntil: null,
		...over
	};
}
const fixed = (dueOn: string, renewalMonths: number | null = null): Rule => ({
	dueKind: 'fixed',
	dueOn,
	dueDays: null,
	renewalMonths
});
const done = (at: string, expires: string | null = null, revoked = false): CompletionFact => ({
	completedAt: t(at),
	expiresAt: expires ? t(expires) : null,
	revoked
});

describe('due dates are days in the organization’s time zone', () => {
	it('due on the 15th in Los Angeles is not overdue at 07:30 UTC on the 16th (23:30 on the 15th there)', () => {
		// January: Pacific Standard Time, UTC-8. A UTC day would call this overdue.
		const rule = fixed('2027-01-15');
		const s = requirementStatus(rule, facts(), t('2027-01-16T07:30:00Z'), LA);
		expect(s.state).toBe('due-soon');
		expect(s.dueOn).toBe('2027-01-15');
		expect(requirementStatus(rule, facts(), t('2027-01-16T08:30:00Z'), LA).state).toBe('overdue');
	});

	it('due soon within 14 days of the due date, not before', () => {
		const rule = fixed('2027-03-20');
		expect(requirementStatus(rule, facts(), t('2027-03-06T18:00:00Z'), CHI).state).toBe('due-soon');
		expect(requirementStatus(rule, facts(), t('2027-03-05T18:00:00Z'), CHI).state).toBe(
			'not-started'
		);
		expect(
			requirementStatus(
				rule,
				facts({ lastActivityAt: t('2027-03-01T12:00:00Z') }),
				t('2027-03-05T18:00:00Z'),
				CHI
			).state
		).toBe('in-progress');
	});
});

describe('relative due dates', () => {
	it('“30 days after joining” counts from the day the person joined', () => {
		const rule: Rule = { dueKind: 'after_joining', dueOn: null, dueDays: 30, renewalMonths: null };
		const f = facts({ joinedAt: t('2026-02-01T17:00:00Z'), assignedAt: t('2026-04-01T17:00:00Z') });
		const s = requirementStatus(rule, f, t('2026-03-04T17:00:00Z'), CHI);
		expect(s.dueOn).toBe('2026-03-03');
		expect(s.state).toBe('overdue');
	});

	it('“30 days after being assigned” counts from the day it began to apply to the person', () => {
		const rule: Rule = { dueKind: 'after_assigned', dueOn: null, dueDays: 30, renewalMonths: null };
		const f = facts({ joinedAt: t('2025-01-01T17:00:00Z'), assignedAt: t('2026-02-01T17:00:00Z') });
		const s = requirementStatus(rule, f, t('2026-03-04T17:00:00Z'), CHI);
		expect(s.dueOn).toBe('2026-03-03');
		expect(s.state).toBe('overdue');
		expect(requirementStatus(rule, f, t('2026-03-03T17:00:00Z'), CHI).state).toBe('due-soon');
	});

	it('a joining day is the organization’s day: 03:00 UTC on 2 Feb is still 1 Feb in Chicago', () => {
		const rule: Rule = { dueKind: 'after_joining', dueOn: null, dueDays: 14, renewalMonths: null };
		const f = facts({ joinedAt: t('2026-02-02T03:00:00Z') });
		expect(requirementStatus(rule, f, t('2026-02-03T12:00:00Z'), CHI).dueOn).toBe('2026-02-15');
	});
});

describe('renewal', () => {
	it('the next due date counts from the person’s own last completion, not the assignment', () => {
		const rule = fixed('2026-03-01', 12);
		const f = facts({ completions: [done('2026-06-10T16:00:00Z', '2027-09-10T16:00:00Z')] });
		const s = requirementStatus(rule, f, t('2027-06-11T16:00:00Z'), CHI);
		expect(s.dueOn).toBe('2027-06-10');
		expect(s.state).toBe('overdue');
		// A day earlier it is due soon, not overdue, and not counted from 1 March either.
		expect(requirementStatus(rule, f, t('2027-06-09T16:00:00Z'), CHI).state).toBe('due-soon');
		expect(requirementStatus(rule, f, t('2027-03-02T16:00:00Z'), CHI).state).toBe('completed');
	});

	it('a newer completion starts a new cycle', () => {
		const rule = fixed('2026-03-01', 12);
		const f = facts({
			completions: [done('2026-02-10T16:00:00Z'), done('2027-05-20T16:00:00Z')]
		});
		const s = requirementStatus(rule, f, t('2027-06-01T16:00:00Z'), CHI);
		expect(s.state).toBe('completed');
		expect(s.dueOn).toBe('2028-05-20');
		expect(s.cycle).toBe('2028-05-20');
	});

	it('months are calendar months: 31 January plus one month is the last day of February', () => {
		expect(addMonths('2027-01-31', 1)).toBe('2027-02-28');
		expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
	});
});

describe('completions made before the assignment', () => {
	const rule = fixed('2026-06-30');
	it('count while their certificate is valid', () => {
		const f = facts({
			assignedAt: t('2026-03-01T00:00:00Z'),
			completions: [done('2025-11-01T16:00:00Z', '2026-11-01T16:00:00Z')]
		});
		expect(requirementStatus(rule, f, t('2026-04-01T16:00:00Z'), CHI).state).toBe('completed');
	});
	it('do not count once their certificate has expired', () => {
		const f = facts({
			assignedAt: t('2026-03-01T00:00:00Z'),
			completions: [done('2025-02-01T16:00:00Z', '2026-02-01T16:00:00Z')]
		});
		const s = requirementStatus(rule, f, t('2026-04-01T16:00:00Z'), CHI);
		expect(s.state).toBe('not-started');
		expect(s.completedAt).toBeNull();
	});
});

describe('certificates', () => {
	const rule = fixed('2026-03-31');
	it('expiring within 60 days of expiry, expired after it', () => {
		const f = facts({ completions: [done('2026-02-01T16:00:00Z', '2027-02-01T16:00:00Z')] });
		expect(requirementStatus(rule, f, t('2026-12-01T16:00:00Z'), CHI).state).toBe('completed');
		expect(requirementStatus(rule, f, t('2026-12-05T16:00:00Z'), CHI).state).toBe('expiring');
		const after = requirementStatus(rule, f, t('2027-02-01T16:00:01Z'), CHI);
		expect(after.state).toBe('expired');
		expect(after.validUntil).toBe('2027-02-01');
	});

	it('a revoked certificate does not count', () => {
		const f = facts({ completions: [done('2026-02-01T16:00:00Z', '2027-02-01T16:00:00Z', true)] });
		expect(requirementStatus(rule, f, t('2026-04-02T16:00:00Z'), CHI).state).toBe('overdue');
		// An earlier valid completion still counts when a later one is revoked.
		const both = facts({
			completions: [
				done('2026-01-20T16:00:00Z', '2027-01-20T16:00:00Z'),
				done('2026-02-01T16:00:00Z', '2027-02-01T16:00:00Z', true)
			]
		});
		expect(requirementStatus(rule, both, t('2026-04-02T16:00:00Z'), CHI).state).toBe('completed');
	});
});

describe('exemptions', () => {
	const rule = fixed('2026-05-01');
	it('hold through the last day of the exemption, then the requirement is overdue again', () => {
		const f = facts({ exemptUntil: '2026-06-10' });
		const during = requirementStatus(rule, f, t('2026-06-11T04:30:00Z'), CHI); // 23:30 on 10 June
		expect(during.state).toBe('exempt');
		expect(during.exemptUntil).toBe('2026-06-10');
		expect(requirementStatus(rule, f, t('2026-06-11T05:30:00Z'), CHI).state).toBe('overdue');
	});
	it('do not hide a valid completion', () => {
		const f = facts({ exemptUntil: '2026-06-10', completions: [done('2026-02-01T16:00:00Z')] });
		expect(requirementStatus(rule, f, t('2026-03-01T16:00:00Z'), CHI).state).toBe('completed');
	});
});

describe('day helpers', () => {
	it('days and weeks', () => {
		expect(dayIn(t('2027-01-16T07:30:00Z'), LA)).toBe('2027-01-15');
		expect(isoWeek('2027-01-04')).toBe('2027-W01');
		expect(isoWeek('2027-01-03')).toBe('2026-W53');
		expect(isoWeek('2026-12-31')).toBe('2026-W53');
	});
});

describe('the cached day-in-zone', () => {
	it('matches Intl every five hours across both daylight-saving changes of a year', async () => {
		const { _slowDayIn } = await import('../../src/lib/server/training/days');
		for (const zone of [LA, CHI, 'Asia/Kolkata', 'Australia/Lord_Howe', 'UTC']) {
			for (
				let t = Date.UTC(2026, 0, 1);
				t < Date.UTC(2027, 0, 1);
				t += 5 * 3_600_000 + 60_000 * 7
			) {
				const d = new Date(t);
				expect(dayIn(d, zone), `${zone} ${d.toISOString()}`).toBe(_slowDayIn(d, zone));
			}
		}
	});
});
