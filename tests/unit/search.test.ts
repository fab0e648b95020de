import { describe, expect, it } from 'vitest';
import { searchUsers } from '../../src/lib/server/admin';
import { fold } from '../../src/lib/server/db/search';
import { listMembers } from '../../src/lib/server/orgs/members';
import { addMembership, createOrganization } from '../../src/lib/server/orgs/organizations';
import { makeUser, testDb } from '../fixtures/db';

async function setup() {
	const db = testDb();
	const root = await makeUser(db, { isInstanceAdmin: true, name: 'Root' });
	const made = createOrganization(
		db,
		{
			name: 'Riverside PD',
			slug: 'riverside',
			kind: 'department',
			timeZone: 'America/Chicago',
			firstAdmin: { email: root.email }
		},
		{ actorId: root.id }
	);
	if (!made.ok) throw new Error('org');
	const names = ['Officer Luis Ramírez', 'Zoë Ångström', 'Dana Smith', '100%_Sure Person'];
	for (const name of names) {
		const u = await makeUser(db, { name });
		addMembership(db, { orgId: made.orgId, userId: u.id, role: 'learner' });
	}
	return { db, orgId: made.orgId };
}
const names = (rows: { name: string }[]) => rows.map((r) => r.name).sort();

describe('member search', () => {
	it('folds accents and case: "ramirez" finds Ramírez, "ANGSTROM" finds Ångström', async () => {
		const { db, orgId } = await setup();
		expect(names(listMembers(db, orgId, { q: 'ramirez' }).rows)).toEqual(['Officer Luis Ramírez']);
		expect(names(listMembers(db, orgId, { q: 'RAMÍREZ' }).rows)).toEqual(['Officer Luis Ramírez']);
		expect(names(listMembers(db, orgId, { q: 'zoe angstrom' }).rows)).toEqual(['Zoë Ångström']);
		expect(names(searchUsers(db, 'ramirez'))).toEqual(['Officer Luis Ramírez']);
	});

	it('takes % and _ literally', async () => {
		const { db, orgId } = await setup();
		expect(names(listMembers(db, orgId, { q: '%' }).rows)).toEqual(['100%_Sure Person']);
		expect(names(listMembers(db, orgId, { q: '_' }).rows)).toEqual(['100%_Sure Person']);
		expect(names(searchUsers(db, '%_'))).toEqual(['100%_Sure Person']);
	});

	it('fold keeps letters without accents and drops combining marks', () => {
		expect(fold('Ramírez')).toBe('ramirez');
		expect(fold('ÇA')).toBe('ca');
	});
});
