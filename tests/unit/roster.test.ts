import { describe, expect, it } from 'vitest';
import type { DB } from '../../src/lib/server/db';
import { createGroup } from '../../src/lib/server/orgs/members';
import { acceptInvite } from '../../src/lib/server/orgs/invites';
import { createOrganization } from '../../src/lib/server/orgs/organizations';
import { importNextBatch, runImport, savePreview } from '../../src/lib/server/orgs/roster';
import { parseRoster } from '../../src/lib/server/orgs/roster-csv';
import { makeUser, testDb } from '../fixtures/db';

const count = (db: DB, sql: string, ...p: unknown[]) =>
	(db.$client.prepare(sql).get(...p) as { n: number }).n;
/** Invites not yet used (the first admin's invitation, accepted in `riverside`, is not one). */
const openInvites = (db: DB, orgId: number) =>
	count(db, 'select count(*) as n from invite where org_id = ? and uses < max_uses', orgId);

/** A 5,000-row roster: 4,980 good rows (the first 100 people already have accounts) and 20 bad. */
function roster(): { csv: string; bad: number[] } {
	const lines = ['Name,Email,Badge,Groups,Role'];
	const bad: number[] = [];
	for (let i = 0; i < 5000; i++) {
		const line = i + 2;
		let row = `"Officer ${i}, Jr.",officer${i}@riverside.example,${7000 + i},${i % 2 ? 'Night shift' : 'Day shift; K9 unit'},${i % 50 === 0 ? 'supervisor' : 'learner'}`;
		if (i % 250 === 7) {
			const kind = bad.length % 4;
			row =
				kind === 0
					? `Bad Email ${i},not-an-email,,Night shift,learner`
					: kind === 1
						? `Twin ${i},officer${i - 1}@riverside.example,,Night shift,learner`
						: kind === 2
							? `Lost ${i},lost${i}@riverside.example,,Swing shift,learner`
							: `Boss ${i},boss${i}@riverside.example,,Night shift,chief`;
			bad.push(line);
		}
		lines.push(row);
	}
	return { csv: lines.join('\r\n'), bad };
}

/** A department with its first admin and three groups. */
async function riverside() {
	const db = testDb();
	const root = await makeUser(db, { isInstanceAdmin: true });
	const org = createOrganization(
		db,
		{
			name: 'Riverside',
			slug: 'riverside',
			kind: 'department',
			timeZone: 'UTC',
			firstAdmin: { email: root.email }
		},
		{ actorId: root.id }
	);
	if (!org.ok) throw new Error('org');
	if (!db.transaction((tx) => acceptInvite(tx, org.adminInvite, root)).ok)
		throw new Error('accept');
	for (const name of ['Night shift', 'Day shift', 'K9 unit'])
		createGroup(db, org.orgId, { name, kind: 'shift' }, { actorId: root.id });
	return { db, root, org };
}

describe('roster import', () => {
	it('previews 5,000 rows naming each bad one, invites exactly the good ones (accounts or not, one count), and a second import sends nothing', async () => {
		const { db, root, org } = await riverside();
		const existing = db.$client.prepare(
			"insert into user (email, name, password_hash) values (?, ?, 'x')"
		);
		for (let i = 0; i < 100; i++) existing.run(`officer${i}@riverside.example`, `Officer ${i}`);

		const { csv, bad } = roster();
		const started = performance.now();
		const parsed = parseRoster(csv, ['Night shift', 'Day shift', 'K9 unit']);
		if (!parsed.ok) throw new Error(parsed.message);
		const flagged = parsed.rows.filter((r) => r.problems.length);
		expect(flagged.map((r) => r.line)).toEqual(bad);
		expect(flagged[0]!.problems[0]).toMatch(/is not an email address/);
		expect(flagged[1]!.problems[0]).toMatch(/^Duplicate: the same email is on line \d+/);
		expect(flagged[2]!.problems[0]).toBe('Unknown group: Swing shift.');
		expect(flagged[3]!.problems[0]).toMatch(/^Unknown role "chief"/);
		expect(parsed.rows[0]).toMatchObject({
			name: 'Officer 0, Jr.',
			employeeId: '7000',
			groups: ['Day shift', 'K9 unit'],
			role: 'supervisor'
		});
		// Nothing is written by a preview.
		const preview = savePreview(db, org.orgId, 'roster.csv', parsed.rows, root.id);
		expect(count(db, 'select count(*) as n from membership where org_id = ?', org.orgId)).toBe(1);
		expect(openInvites(db, org.orgId)).toBe(0);

		const first = runImport(db, org.orgId, preview, { actorId: root.id });
		const seconds = (performance.now() - started) / 1000;
		console.info(`roster import of 5,000 rows (preview and import): ${seconds.toFixed(2)} s`);
		if (!first.ok) throw new Error(first.reason);
		// Consent (review H1): the 99 people in good rows who have accounts are invited like
		// everyone else, in the same one count; nobody becomes a member by an import.
		expect(first.result).toEqual({
			invited: 4980,
			alreadyMembers: 0,
			alreadyInvited: 0,
			skipped: 20
		});
		expect(count(db, 'select count(*) as n from membership where org_id = ?', org.orgId)).toBe(1);
		expect(openInvites(db, org.orgId)).toBe(4980);
		const withAccounts = parsed.rows.filter(
			(r) => !r.problems.length && /^officer(\d|[1-9]\d)@/.test(r.email)
		);
		expect(withAccounts).toHaveLength(99);
		expect(count(db, 'select count(*) as n from group_member')).toBe(0);
		expect(runImport(db, org.orgId, preview, { actorId: root.id })).toEqual({
			ok: false,
			reason: 'already_imported'
		});

		const again = parseRoster(csv, ['Night shift', 'Day shift', 'K9 unit']);
		if (!again.ok) throw new Error(again.message);
		const second = runImport(
			db,
			org.orgId,
			savePreview(db, org.orgId, 'roster.csv', again.rows, root.id),
			{ actorId: root.id }
		);
		if (!second.ok) throw new Error(second.reason);
		expect(second.result).toEqual({
			invited: 0,
			alreadyMembers: 0,
			alreadyInvited: 4980,
			skipped: 20
		});
		expect(count(db, 'select count(*) as n from membership where org_id = ?', org.orgId)).toBe(1);
		expect(openInvites(db, org.orgId)).toBe(4980);
		expect(count(db, "select count(*) as n from audit_event where action = 'roster.import'")).toBe(
			2
		);
	});

	it('goes 500 rows at a time, each batch with its progress, and picks up where it stopped', async () => {
		const { db, root, org } = await riverside();
		const csv = ['Name,Email,Groups']
			.concat(Array.from({ length: 1200 }, (_, i) => `Volunteer ${i},v${i}@example.org,Day shift`))
			.join('\n');
		const parsed = parseRoster(csv, ['Day shift']);
		if (!parsed.ok) throw new Error(parsed.message);
		const id = savePreview(db, org.orgId, 'volunteers.csv', parsed.rows, root.id);
		const by = { actorId: root.id };
		const status = () =>
			db.$client.prepare('select status, done from roster_import where id = ?').get(id);

		const first = importNextBatch(db, org.orgId, id, by);
		expect(first).toMatchObject({ ok: true, finished: false, done: 500, total: 1200 });
		expect(first.ok && first.invites).toHaveLength(500);
		expect(status()).toEqual({ status: 'importing', done: 500 });
		expect(openInvites(db, org.orgId)).toBe(500);

		// The tab was closed here; later (another request, another tab) the import goes on.
		expect(importNextBatch(db, org.orgId, id, by)).toMatchObject({ done: 1000, finished: false });
		const last = importNextBatch(db, org.orgId, id, by);
		expect(last).toMatchObject({ ok: true, finished: true, done: 1200 });
		expect(last.ok && last.result.invited).toBe(1200);
		expect(status()).toEqual({ status: 'imported', done: 1200 });
		expect(importNextBatch(db, org.orgId, id, by)).toEqual({
			ok: false,
			reason: 'already_imported'
		});
		expect(openInvites(db, org.orgId)).toBe(1200);
		expect(count(db, "select count(*) as n from audit_event where action = 'roster.import'")).toBe(
			1
		);

		// Another organization cannot move this import on.
		expect(importNextBatch(db, org.orgId + 999, id, by)).toEqual({
			ok: false,
			reason: 'not_found'
		});
	});

	it('refuses files that are not rosters, with a message', () => {
		expect(parseRoster('just,some\nwords,here', [])).toMatchObject({
			ok: false,
			message: expect.stringMatching(/name.*email/)
		});
		expect(parseRoster('name,email\n', [])).toMatchObject({
			ok: false,
			message: 'The file has no rows under its header.'
		});
		expect(parseRoster('name,email\n"unclosed,quote@x.org', [])).toMatchObject({ ok: false });
	});
});
