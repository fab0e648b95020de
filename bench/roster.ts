// Roster import timing in this process, on an in-memory database built from the migrations:
// a 5,000-row CSV with 20 bad rows, previewed and imported, then imported again (no changes).
import { openDatabase } from '../src/lib/server/db';
import { createGroup } from '../src/lib/server/orgs/members';
import { createOrganization } from '../src/lib/server/orgs/organizations';
import { runImport, savePreview } from '../src/lib/server/orgs/roster';
import { parseRoster } from '../src/lib/server/orgs/roster-csv';

export interface RosterTimes {
	rows: number;
	bad: number;
	previewMs: number;
	importMs: number;
	reimportMs: number;
	invited: number;
}

function csv(rows: number): string {
	const lines = ['name,email,badge,groups,role'];
	for (let i = 0; i < rows; i++) {
		const email = i % 250 === 7 ? 'not-an-email' : `officer${i}@riverside.example`;
		lines.push(`Officer ${i},${email},${7000 + i},${i % 2 ? 'Night shift' : 'Day shift'},learner`);
	}
	return lines.join('\n');
}

export function timeRosterImport(rows = 5000): RosterTimes {
	const { db } = openDatabase(':memory:');
	db.$client
		.prepare(
			"insert into user (email, name, password_hash, is_instance_admin) values ('root@bench', 'Root', 'x', 1)"
		)
		.run();
	const org = createOrganization(
		db,
		{
			name: 'Bench PD',
			slug: 'bench',
			kind: 'department',
			timeZone: 'UTC',
			firstAdmin: { email: 'root@bench' }
		},
		{ actorId: 1 }
	);
	if (!org.ok) throw new Error('could not create the organization');
	for (const name of ['Night shift', 'Day shift'])
		createGroup(db, org.orgId, { name, kind: 'shift' }, { actorId: 1 });
	const text = csv(rows);
	const preview = () => {
		const parsed = parseRoster(text, ['Night shift', 'Day shift']);
		if (!parsed.ok) throw new Error(parsed.message);
		return {
			id: savePreview(db, org.orgId, 'bench.csv', parsed.rows, 1),
			bad: parsed.rows.filter((r) => r.problems.length).length
		};
	};
	let t = performance.now();
	const first = preview();
	const previewMs = performance.now() - t;
	t = performance.now();
	const imported = runImport(db, org.orgId, first.id, { actorId: 1 });
	const importMs = performance.now() - t;
	t = performance.now();
	const again = runImport(db, org.orgId, preview().id, { actorId: 1 });
	const reimportMs = performance.now() - t;
	if (!imported.ok || !again.ok || again.result.invited !== 0)
		throw new Error('the second import changed something');
	db.$client.close();
	return {
		rows,
		bad: first.bad,
		previewMs,
		importMs,
		reimportMs,
		invited: imported.result.invited
	};
}
