import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { createAssignment, createExemption } from '../../src/lib/server/training/assignments';
import { trainingDashboard, trainingMatrix } from '../../src/lib/server/training/dashboard';
import {
	COMPLETION_COLUMNS,
	completionRows,
	csvStream,
	STATUS_COLUMNS,
	statusRows
} from '../../src/lib/server/training/exports';
import { testDb } from '../fixtures/db';
import { catalog } from '../fixtures/courses';
import { makeCompletion, makeGroup, makeMember, makeOrg } from '../fixtures/training';
import type { DB } from '../../src/lib/server/db';

const now = new Date('2027-01-20T18:00:00Z');
const day = 86_400_000;
const ago = (d: number) => new Date(now.getTime() - d * day);

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
	return new Response(stream).text();
}

/** An organization with a designed spread, and another one that must never show up. */
function seed(db: DB) {
	const orgId = makeOrg(db, 'America/Chicago', 'Riverside PD');
	const org = { id: orgId, timeZone: 'America/Chicago', name: 'Riverside PD' };
	const night = makeGroup(db, orgId, 'Night shift');
	const boss = makeMember(db, orgId, { role: 'supervisor' });
	const expect = {
		overdue: [] as number[],
		completed: [] as number[],
		dueSoon: [] as number[],
		exempt: [] as number[],
		expiring: [] as number[]
	};
	// 40 members: joined long ago; roll-call due 30 days after joining, yearly.
	for (let i = 0; i < 40; i++) {
		const m = makeMember(db, orgId, {
			name: i === 0 ? '=HYPERLINK("http://x")' : `Officer ${String(i).padStart(2, '0')}`,
			employeeId: String(5000 + i),
			joinedAt: i % 5 === 2 ? ago(20) : ago(400),
			groups: i % 2 ? [{ id: night }] : []
		});
		if (i % 5 === 0) {
			makeCompletion(db, m.userId, 'roll-call', ago(40 + i), {
				expiresAt: new Date(ago(40 + i).getTime() + 365 * day)
			});
			expect.completed.push(m.userId);
		} else if (i % 5 === 1) expect.overdue.push(m.userId);
		else if (i % 5 === 2) expect.dueSoon.push(m.userId);
		else if (i % 5 === 3) {
			makeCompletion(db, m.userId, 'roll-call', ago(330), {
				expiresAt: new Date(ago(330).getTime() + 365 * day),
				method: 'roll-call'
			});
			expect.expiring.push(m.userId);
			expect.completed.push(m.userId);
		} else expect.exempt.push(m.userId);
	}
	const a = createAssignment(
		db,
		orgId,
		{
			courseSlug: 'roll-call',
			scope: 'org',
			groupIds: [],
			userIds: [],
			dueKind: 'after_joining',
			dueOn: null,
			dueDays: 30,
			renewalMonths: 12
		},
		{ actorId: boss.userId },
		ago(500)
	);
	if (!a.ok) throw new Error('assign');
	for (const u of expect.exempt)
		createExemption(
			db,
			orgId,
			{ seriesId: a.id, userId: u, reason: 'medical_leave', note: null, endsOn: '2027-03-01' },
			{ actorId: boss.userId },
			ago(1)
		);
	// The boss completed too (the 41st person).
	makeCompletion(db, boss.userId, 'roll-call', ago(10), {
		expiresAt: new Date(ago(10).getTime() + 365 * day)
	});
	expect.completed.push(boss.userId);

	const otherId = makeOrg(db, 'UTC', 'Other Org');
	const outsider = makeMember(db, otherId, {
		name: 'Outsider Person',
		email: 'outsider@other.example'
	});
	makeCompletion(db, outsider.userId, 'roll-call', ago(5));
	return { org, expect, night, otherId };
}

describe('dashboard and matrix', () => {
	it('count exactly what the records say', () => {
		const db = testDb();
		const { org, expect: e, night } = seed(db);
		const d = trainingDashboard(db, org, now);
		const rc = d.byCourse.find((c) => c.slug === 'roll-call')!;
		expect(rc.assigned).toBe(41);
		expect(rc.overdue).toBe(e.overdue.length);
		expect(rc.dueSoon).toBe(e.dueSoon.length);
		expect(rc.exempt).toBe(e.exempt.length);
		expect(rc.expiring).toBe(e.expiring.length);
		expect(rc.completed).toBe(e.completed.length);
		expect(d.peopleOverdue).toBe(e.overdue.length);
		// The direct count from the table: completions per month in Chicago.
		const direct = db.$client
			.prepare(
				'select count(*) n from completion c join membership m on m.user_id = c.user_id and m.org_id = ? where c.completed_at >= ?'
			)
			.get(org.id, Date.parse('2026-02-01T06:00:00Z')) as { n: number };
		expect(d.months.reduce((s, m) => s + m.completions, 0)).toBe(direct.n);
		const nightRow = d.byGroup.find((g) => g.id === night)!.courses[0]!;
		expect(nightRow.assigned).toBe(20);

		const overdue = trainingMatrix(db, org, { status: 'overdue' }, now);
		expect(overdue.total).toBe(e.overdue.length);
		expect(overdue.rows.map((r) => r.userId).sort()).toEqual([...e.overdue].sort());
		const all = trainingMatrix(db, org, {}, now);
		expect(all.total).toBe(41);
		expect(all.rows).toHaveLength(41);
		expect(trainingMatrix(db, org, { q: '5007' }, now).rows.map((r) => r.employeeId)).toEqual([
			'5007'
		]);
		// Overdue are i = 1, 6, 11, …, 36; the night shift has the odd ones: 1, 11, 21, 31.
		expect(trainingMatrix(db, org, { groupId: night, status: 'overdue' }, now).total).toBe(4);
	});
});

describe('exports', () => {
	it('completions.csv parses with the expected header and rows, neutralises formulas, and holds no other organization’s rows', async () => {
		const db = testDb();
		const { org } = seed(db);
		const csv = await text(csvStream(COMPLETION_COLUMNS, completionRows(db, org, catalog)));
		const rows = parse(csv, { columns: true }) as Record<string, string>[];
		expect(Object.keys(rows[0]!)).toEqual(COMPLETION_COLUMNS);
		expect(rows).toHaveLength(8 + 8 + 1);
		expect(csv).not.toContain('Outsider');
		expect(csv).not.toContain('outsider@other.example');
		const hyper = rows.find((r) => r['Badge number'] === '5000')!;
		expect(hyper['Member name']).toBe('\'=HYPERLINK("http://x")');
		expect(hyper['Provider']).toBe('Riverside PD');
		expect(hyper['Credit hours']).toBe('1.5');
		expect(hyper['End date']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		expect(rows.filter((r) => r.Delivery === 'roll-call')).toHaveLength(8);
		expect(csv.split('\r\n')[0]).toBe(COMPLETION_COLUMNS.join(','));

		const filtered = parse(
			await text(
				csvStream(
					COMPLETION_COLUMNS,
					completionRows(db, org, catalog, { from: '2027-01-01', to: '2027-01-31' })
				)
			),
			{ columns: true }
		) as Record<string, string>[];
		expect(filtered.length).toBeGreaterThan(0);
		expect(
			filtered.every((r) => r['End date']! >= '2027-01-01' && r['End date']! <= '2027-01-31')
		).toBe(true);
	});

	it('completions.csv holds every completion once, in order, across its 1,000-row batches', async () => {
		const db = testDb();
		const orgId = makeOrg(db, 'UTC', 'Big PD');
		const otherId = makeOrg(db, 'UTC', 'Other PD');
		const night = makeGroup(db, orgId, 'Night shift');
		const ours = Array.from({ length: 30 }, (_, i) =>
			makeMember(db, orgId, { groups: i % 3 ? [] : [{ id: night }] })
		);
		const theirs = Array.from({ length: 10 }, () => makeMember(db, otherId));
		const codes: string[] = [];
		const nightCodes: string[] = [];
		// 2,300 of ours with another organization's in between, so batches end mid-stream.
		for (let i = 0; i < 2_300; i++) {
			const m = i % 30;
			const { code } = makeCompletion(db, ours[m]!.userId, 'roll-call', ago(i % 300));
			codes.push(code);
			if (m % 3 === 0) nightCodes.push(code);
			if (i % 4 === 0) makeCompletion(db, theirs[i % 10]!.userId, 'roll-call', ago(1));
		}
		const org = { id: orgId, timeZone: 'UTC', name: 'Big PD' };
		const read = async (filter = {}) =>
			(
				parse(await text(csvStream(COMPLETION_COLUMNS, completionRows(db, org, catalog, filter))), {
					columns: true
				}) as Record<string, string>[]
			).map((r) => r['Certificate code']);
		expect(await read()).toEqual(codes);
		expect(await read({ groupId: night })).toEqual(nightCodes);
	});

	it('status.csv has one row per person and requirement', async () => {
		const db = testDb();
		const { org, expect: e } = seed(db);
		const rows = parse(await text(csvStream(STATUS_COLUMNS, statusRows(db, org, catalog, now))), {
			columns: true
		}) as Record<string, string>[];
		expect(rows).toHaveLength(41);
		expect(rows.filter((r) => r.Status === 'Overdue')).toHaveLength(e.overdue.length);
		expect(
			rows.filter((r) => r.Status === 'Exempt').every((r) => r['Exempt until'] === '2027-03-01')
		).toBe(true);
	});
});
