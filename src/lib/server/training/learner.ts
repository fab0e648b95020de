import { and, eq, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { prepared } from '../db/prepared';
import { assignment, membership, organization } from '../db/schema';
import { rosterStatus, type Cell } from './roster-status';
import { STATES } from './status';

export interface MyRequirement extends Cell {
	orgName: string;
}

/**
 * A person's required training across their organizations, most urgent first (overdue, then
 * due soon, then the rest), each with its due date. No organization with requirements: empty.
 */
export function myRequirements(db: Queryable, userId: number, now = new Date()): MyRequirement[] {
	// Read on every visit to the learner's home page: prepared once per connection.
	const orgs = prepared(db, 'training.myOrgsWithRequirements', (db) =>
		db
			.selectDistinct({
				id: organization.id,
				name: organization.name,
				timeZone: organization.timeZone
			})
			.from(membership)
			.innerJoin(organization, eq(organization.id, membership.orgId))
			.innerJoin(assignment, eq(assignment.orgId, organization.id))
			.where(and(eq(membership.userId, sql.placeholder('userId')), eq(membership.active, true)))
			.prepare()
	).all({ userId });
	const out: MyRequirement[] = [];
	for (const org of orgs) {
		const r = rosterStatus(db, org, now, { userId });
		for (const cell of r.cells.get(userId)?.values() ?? [])
			out.push({ ...cell, orgName: org.name });
	}
	return out.sort(
		(a, b) =>
			STATES.indexOf(a.state) - STATES.indexOf(b.state) ||
			(a.dueOn ?? '9999').localeCompare(b.dueOn ?? '9999')
	);
}
