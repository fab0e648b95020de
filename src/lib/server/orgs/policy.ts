import { and, desc, eq, max, sql } from 'drizzle-orm';
import type { DB, Queryable } from '../db';
import { literalLimit, prepared } from '../db/prepared';
import { agencyPolicy, membership, organization } from '../db/schema';
import { recordAudit } from '../audit';
import { httpUrl, type AgencyView } from '../../agency';

// An organization's own policy: versioned (every save is a new row), audited, and shown to
// its members. A member of several organizations sees the policy of the organization they
// joined most recently (their newest active membership).

export const POLICY_FIELDS = [
	'policyTitle',
	'policyNumber',
	'policyLink',
	'state',
	'stateLawNote',
	'taskForce',
	'victimSpecialist',
	'ngoPartner',
	'notificationRule'
] as const;
export type PolicyField = (typeof POLICY_FIELDS)[number];
export type PolicyValues = Record<PolicyField, string | null>;

export interface PolicyRow extends PolicyValues {
	id: number;
	orgId: number;
	version: number;
	createdAt: Date;
}

/** The organization's newest policy version, or null when none has been saved. */
export function latestPolicy(db: Queryable, orgId: number): PolicyRow | null {
	const row = prepared(db, 'policy.latest', (db) =>
		db
			.select()
			.from(agencyPolicy)
			.where(eq(agencyPolicy.orgId, sql.placeholder('orgId')))
			.orderBy(desc(agencyPolicy.version))
			.limit(literalLimit(1))
			.prepare()
	).get({ orgId });
	if (!row) return null;
	const { createdBy: _by, ...rest } = row;
	return rest;
}

/** Saves a new version (never updates an old one) and audits it, in one transaction. */
export function savePolicy(
	db: DB,
	orgId: number,
	values: PolicyValues,
	actor: { actorId: number; ip?: string | null },
	/** The version the admin's form showed (0: none). A save on top of a newer one is refused. */
	base: number,
	now = new Date()
): { ok: true; id: number; version: number } | { ok: false; latest: number } {
	return db.transaction(
		(tx) => {
			const last = tx
				.select({ v: max(agencyPolicy.version) })
				.from(agencyPolicy)
				.where(eq(agencyPolicy.orgId, orgId))
				.get();
			if ((last?.v ?? 0) !== base) return { ok: false as const, latest: last?.v ?? 0 };
			const version = (last?.v ?? 0) + 1;
			const id = tx
				.insert(agencyPolicy)
				.values({ orgId, version, ...values, createdBy: actor.actorId, createdAt: now })
				.returning({ id: agencyPolicy.id })
				.get().id;
			recordAudit(tx, {
				action: 'org.policy.save',
				outcome: 'success',
				actorId: actor.actorId,
				orgId,
				ip: actor.ip ?? null,
				subjectType: 'agency_policy',
				subjectId: id,
				detail: { version, filled: POLICY_FIELDS.filter((f) => values[f]) },
				at: now
			});
			return { ok: true as const, id, version };
		},
		{ behavior: 'immediate' }
	);
}

/**
 * The policy a learner sees: their newest active membership's organization, with its newest
 * policy version (null fields when it has none), or undefined for someone in no organization.
 * One prepared statement: every module page and every completion asks.
 */
function memberPolicy(db: Queryable, userId: number) {
	return prepared(db, 'policy.member', (db) =>
		db
			.select({ orgName: organization.name, policy: agencyPolicy })
			.from(membership)
			.innerJoin(organization, eq(organization.id, membership.orgId))
			.leftJoin(
				agencyPolicy,
				and(
					eq(agencyPolicy.orgId, membership.orgId),
					eq(
						agencyPolicy.version,
						sql`(select max(newest.version) from agency_policy newest where newest.org_id = ${membership.orgId})`
					)
				)
			)
			.where(and(eq(membership.userId, sql.placeholder('userId')), eq(membership.active, true)))
			.orderBy(desc(membership.createdAt), desc(membership.id))
			.limit(literalLimit(1))
			.prepare()
	).get({ userId });
}

/** What a learner's pages show in "In our agency" boxes, or null (no organization, or no policy yet). */
export function agencyViewFor(db: Queryable, userId: number): AgencyView | null {
	const row = memberPolicy(db, userId);
	const p = row?.policy;
	if (!row || !p) return null;
	const url = httpUrl(p.policyLink);
	return {
		orgName: row.orgName,
		policyId: p.id,
		version: p.version,
		policyTitle: p.policyTitle,
		policyNumber: p.policyNumber,
		policyUrl: url,
		policyFile: url ? null : p.policyLink,
		state: p.state,
		stateLawNote: p.stateLawNote,
		taskForce: p.taskForce,
		victimSpecialist: p.victimSpecialist,
		ngoPartner: p.ngoPartner,
		notificationRule: p.notificationRule
	};
}

/** The policy row a learner's completion records (the version their pages show now). */
export function currentPolicyIdFor(db: Queryable, userId: number): number | null {
	return memberPolicy(db, userId)?.policy?.id ?? null;
}
