import { describe, expect, it } from 'vitest';
import {
	createAssignment,
	createExemption,
	editAssignment,
	withdrawAssignment
} from '../../src/lib/server/training/assignments';
import { rosterStatus } from '../../src/lib/server/training/roster-status';
import { testDb } from '../fixtures/db';
import { makeGroup, makeMember, makeOrg } from '../fixtures/training';

const base = {
	courseSlug: 'roll-call',
	groupIds: [],
	userIds: [],
	dueOn: null,
	dueDays: null,
	renewalMonths: null
};

describe('assignments', () => {
	it('editing keeps the earlier version and the day it was first assigned; withdrawing ends it; all audited', () => {
		const db = testDb();
		const orgId = makeOrg(db);
		const boss = makeMember(db, orgId, { role: 'supervisor' });
		const t0 = new Date('2026-01-10T12:00:00Z');
		const made = createAssignment(
			db,
			orgId,
			{ ...base, scope: 'org', dueKind: 'after_assigned', dueDays: 30 },
			{ actorId: boss.userId },
			t0
		);
		if (!made.ok) throw new Error('create');
		const edited = editAssignment(
			db,
			orgId,
			made.id,
			{ ...base, scope: 'org', dueKind: 'after_assigned', dueDays: 60 },
			{ actorId: boss.userId },
			new Date('2026-02-01T12:00:00Z')
		);
		if (!edited.ok) throw new Error('edit');
		const rows = db.$client
			.prepare(
				'select id, series_id, due_days, since, ended_at, end_reason from assignment order by id'
			)
			.all() as {
			series_id: number;
			due_days: number;
			since: number;
			ended_at: number | null;
			end_reason: string | null;
		}[];
		expect(rows).toHaveLength(2);
		expect(rows[0]).toMatchObject({ due_days: 30, end_reason: 'edited' });
		expect(rows[1]).toMatchObject({
			due_days: 60,
			series_id: made.id,
			since: t0.getTime(),
			ended_at: null
		});
		// Due 60 days after the first assignment (10 Jan), not after the edit (1 Feb).
		const s = rosterStatus(db, { id: orgId, timeZone: 'UTC' }, new Date('2026-02-05T12:00:00Z'));
		expect(s.cells.get(boss.userId)!.get('roll-call')!.dueOn).toBe('2026-03-11');

		expect(withdrawAssignment(db, orgId, edited.id, { actorId: boss.userId }).ok).toBe(true);
		expect(rosterStatus(db, { id: orgId, timeZone: 'UTC' }).courses).toEqual([]);
		const actions = (
			db.$client
				.prepare("select action from audit_event where action like 'assignment.%' order by id")
				.all() as { action: string }[]
		).map((r) => r.action);
		expect(actions).toEqual(['assignment.create', 'assignment.edit', 'assignment.withdraw']);
	});

	it('people who join an assigned group later get the requirement from that day', () => {
		const db = testDb();
		const orgId = makeOrg(db, 'UTC');
		const night = makeGroup(db, orgId, 'Night shift');
		const early = makeMember(db, orgId, { groups: [{ id: night }] });
		const late = makeMember(db, orgId, {
			groups: [{ id: night, at: new Date('2026-03-01T09:00:00Z') }]
		});
		const outside = makeMember(db, orgId);
		const r = createAssignment(
			db,
			orgId,
			{ ...base, scope: 'groups', groupIds: [night], dueKind: 'after_assigned', dueDays: 14 },
			{ actorId: early.userId },
			new Date('2026-02-01T09:00:00Z')
		);
		expect(r.ok).toBe(true);
		const s = rosterStatus(db, { id: orgId, timeZone: 'UTC' }, new Date('2026-03-02T09:00:00Z'));
		expect(s.cells.get(early.userId)!.get('roll-call')).toMatchObject({
			state: 'overdue',
			dueOn: '2026-02-15'
		});
		expect(s.cells.get(late.userId)!.get('roll-call')).toMatchObject({
			state: 'due-soon',
			dueOn: '2026-03-15'
		});
		expect(s.cells.get(outside.userId)).toBeUndefined();
	});

	it('an exemption is audited and shows as exempt until its last day', () => {
		const db = testDb();
		const orgId = makeOrg(db, 'UTC');
		const m = makeMember(db, orgId);
		const r = createAssignment(
			db,
			orgId,
			{ ...base, scope: 'people', userIds: [m.userId], dueKind: 'fixed', dueOn: '2026-01-31' },
			{ actorId: m.userId },
			new Date('2026-01-01T00:00:00Z')
		);
		if (!r.ok) throw new Error('create');
		const x = createExemption(
			db,
			orgId,
			{
				seriesId: r.id,
				userId: m.userId,
				reason: 'military_deployment',
				note: null,
				endsOn: '2026-04-30'
			},
			{ actorId: m.userId }
		);
		expect(x.ok).toBe(true);
		const org = { id: orgId, timeZone: 'UTC' };
		expect(
			rosterStatus(db, org, new Date('2026-04-30T20:00:00Z')).cells.get(m.userId)!.get('roll-call')!
				.state
		).toBe('exempt');
		expect(
			rosterStatus(db, org, new Date('2026-05-01T00:30:00Z')).cells.get(m.userId)!.get('roll-call')!
				.state
		).toBe('overdue');
		expect(
			db.$client
				.prepare("select count(*) n from audit_event where action = 'exemption.create'")
				.get()
		).toEqual({ n: 1 });
	});
});
