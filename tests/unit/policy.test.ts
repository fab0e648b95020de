import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../src/lib/server/courses/catalog';
import { readCourseFiles } from '../../src/lib/server/courses/read-files';
import { organization } from '../../src/lib/server/db/schema';
import { recordCompletion } from '../../src/lib/server/learning/completion';
import { recordModuleComplete } from '../../src/lib/server/learning/progress';
import { addMembership } from '../../src/lib/server/orgs/organizations';
import {
	agencyViewFor,
	currentPolicyIdFor,
	latestPolicy,
	POLICY_FIELDS,
	savePolicy,
	type PolicyValues
} from '../../src/lib/server/orgs/policy';
import { agencyText } from '../../src/lib/agency';
import type { DB } from '../../src/lib/server/db';
import { makeUser, testDb } from '../fixtures/db';

const course = buildCatalog(readCourseFiles(process.cwd())).bySlug.get('roll-call')!;

function org(db: DB, slug: string): number {
	return db
		.insert(organization)
		.values({
			slug,
			name: `Org ${slug}`,
			kind: 'department',
			timeZone: 'UTC',
			createdAt: new Date()
		})
		.returning({ id: organization.id })
		.get().id;
}

const empty = Object.fromEntries(POLICY_FIELDS.map((f) => [f, null])) as PolicyValues;

describe("an agency's own policy", () => {
	it('keeps every save as a new version and audits each one', async () => {
		const db = testDb();
		const admin = await makeUser(db);
		const orgId = org(db, 'a');
		const first = savePolicy(
			db,
			orgId,
			{ ...empty, taskForce: 'County task force' },
			{ actorId: admin.id },
			0
		);
		const second = savePolicy(
			db,
			orgId,
			{ ...empty, taskForce: 'Regional task force' },
			{ actorId: admin.id },
			1
		);
		expect(first).toMatchObject({ ok: true, version: 1 });
		expect(second).toMatchObject({ ok: true, version: 2 });
		const rows = db.$client
			.prepare('select version, task_force as t from agency_policy order by id')
			.all();
		expect(rows).toEqual([
			{ version: 1, t: 'County task force' },
			{ version: 2, t: 'Regional task force' }
		]);
		expect(latestPolicy(db, orgId)?.taskForce).toBe('Regional task force');
		const audit = db.$client
			.prepare(
				"select org_id as o, subject_id as s from audit_event where action = 'org.policy.save'"
			)
			.all();
		expect(audit).toHaveLength(2);
	});

	it('refuses a save made on top of a version the admin never saw', async () => {
		const db = testDb();
		const admin = await makeUser(db);
		const orgId = org(db, 'a');
		savePolicy(db, orgId, { ...empty, taskForce: 'One' }, { actorId: admin.id }, 0);
		// A second admin's form still shows "no version yet".
		expect(savePolicy(db, orgId, { ...empty, taskForce: 'Two' }, { actorId: admin.id }, 0)).toEqual(
			{
				ok: false,
				latest: 1
			}
		);
		expect(latestPolicy(db, orgId)?.taskForce).toBe('One');
	});

	it("shows a learner the policy of their most recent active membership, and nobody else's", async () => {
		const db = testDb();
		const admin = await makeUser(db);
		const learner = await makeUser(db);
		const outsider = await makeUser(db);
		const a = org(db, 'a');
		const b = org(db, 'b');
		savePolicy(
			db,
			a,
			{ ...empty, notificationRule: 'Call the watch commander' },
			{ actorId: admin.id },
			0
		);
		savePolicy(
			db,
			b,
			{ ...empty, notificationRule: 'Call the duty sergeant' },
			{ actorId: admin.id },
			0
		);
		addMembership(db, { orgId: a, userId: learner.id, role: 'learner', now: new Date(1000) });
		expect(agencyViewFor(db, learner.id)?.notificationRule).toBe('Call the watch commander');
		addMembership(db, { orgId: b, userId: learner.id, role: 'learner', now: new Date(2000) });
		expect(agencyViewFor(db, learner.id)?.notificationRule).toBe('Call the duty sergeant');
		db.$client.prepare('update membership set active = 0 where org_id = ?').run(b);
		expect(agencyViewFor(db, learner.id)?.notificationRule).toBe('Call the watch commander');
		expect(agencyViewFor(db, outsider.id)).toBeNull();
	});

	it("shows the newest version of the newest membership's policy, and none when that organization has none", async () => {
		const db = testDb();
		const admin = await makeUser(db);
		const learner = await makeUser(db);
		const a = org(db, 'a');
		const b = org(db, 'b');
		addMembership(db, { orgId: a, userId: learner.id, role: 'learner', now: new Date(1000) });
		savePolicy(db, a, { ...empty, taskForce: 'County' }, { actorId: admin.id }, 0);
		const second = savePolicy(db, a, { ...empty, taskForce: 'Regional' }, { actorId: admin.id }, 1);
		// Another organization's newer versions are not this learner's.
		savePolicy(db, b, { ...empty, taskForce: 'B one' }, { actorId: admin.id }, 0);
		savePolicy(db, b, { ...empty, taskForce: 'B two' }, { actorId: admin.id }, 1);
		savePolicy(db, b, { ...empty, taskForce: 'B three' }, { actorId: admin.id }, 2);
		expect(agencyViewFor(db, learner.id)).toMatchObject({ version: 2, taskForce: 'Regional' });
		expect(currentPolicyIdFor(db, learner.id)).toBe(second.ok ? second.id : -1);
		// Joining an organization with no policy yet: its (empty) policy is the one shown.
		const c = org(db, 'c');
		addMembership(db, { orgId: c, userId: learner.id, role: 'learner', now: new Date(2000) });
		expect(agencyViewFor(db, learner.id)).toBeNull();
		expect(currentPolicyIdFor(db, learner.id)).toBeNull();
	});

	it('turns only an http(s) address into a link; anything else stays text', async () => {
		const db = testDb();
		const admin = await makeUser(db);
		const a = org(db, 'a');
		addMembership(db, { orgId: a, userId: admin.id, role: 'admin' });
		savePolicy(
			db,
			a,
			{ ...empty, policyTitle: 'HT response', policyLink: 'javascript:alert(1)' },
			{ actorId: admin.id },
			0
		);
		let view = agencyViewFor(db, admin.id)!;
		expect(view.policyUrl).toBeNull();
		expect(view.policyFile).toBe('javascript:alert(1)');
		savePolicy(
			db,
			a,
			{
				...empty,
				policyLink: 'https://example.org/policy.pdf',
				state: 'CA',
				stateLawNote: 'Answer within 90 days.'
			},
			{ actorId: admin.id },
			1
		);
		view = agencyViewFor(db, admin.id)!;
		expect(view.policyUrl).toBe('https://example.org/policy.pdf');
		expect(agencyText(view, 'stateLaw')).toBe('California: Answer within 90 days.');
		expect(agencyText(view, 'taskForce')).toBeNull();
	});

	it('records the policy version a learner saw with the module they completed', async () => {
		const db = testDb();
		const admin = await makeUser(db);
		const learner = await makeUser(db);
		const a = org(db, 'a');
		addMembership(db, { orgId: a, userId: learner.id, role: 'learner' });
		const [m1, m2] = course.modules;
		recordModuleComplete(db, learner.id, course, m1!);
		const saved = savePolicy(db, a, { ...empty, taskForce: 'County' }, { actorId: admin.id }, 0);
		recordModuleComplete(db, learner.id, course, m2!);
		const rows = db.$client
			.prepare('select module_slug as m, agency_policy_id as p from module_progress order by id')
			.all();
		expect(rows).toEqual([
			{ m: m1!.slug, p: null },
			{ m: m2!.slug, p: saved.ok ? saved.id : -1 }
		]);
	});

	it('records the policy version in force with a course completion', async () => {
		const db = testDb();
		const admin = await makeUser(db);
		const learner = await makeUser(db);
		const a = org(db, 'a');
		addMembership(db, { orgId: a, userId: learner.id, role: 'learner' });
		const saved = savePolicy(db, a, { ...empty, taskForce: 'County' }, { actorId: admin.id }, 0);
		db.transaction((tx) =>
			recordCompletion(tx, {
				userId: learner.id,
				course,
				attemptId: null,
				score: 100,
				method: 'roll-call',
				issuer: 'Org a',
				now: new Date()
			})
		);
		const rows = db.$client
			.prepare('select content_version as v, agency_policy_id as p from completion')
			.all();
		expect(rows).toEqual([{ v: course.meta.version, p: saved.ok ? saved.id : -1 }]);
	});
});
