import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { organization } from './organizations';
import { user } from './users';

/**
 * An organization's own trafficking-response policy, as its admin wrote it: shown to its
 * members in the courses' "In our agency" boxes and on the reference card. Every save is a
 * new row with the next version number; nothing is updated, so a completion can name the
 * exact version its learner saw. Every text is plain text (rendered as text, never HTML).
 */
export const agencyPolicy = sqliteTable(
	'agency_policy',
	{
		id: integer().primaryKey({ autoIncrement: true }),
		orgId: integer()
			.notNull()
			.references(() => organization.id),
		/** 1, 2, 3… per organization. */
		version: integer().notNull(),
		policyTitle: text(),
		policyNumber: text(),
		/** A web address (http or https only) or the name of a file on the agency's drive. */
		policyLink: text(),
		/** Two-letter USPS code of a US state, or DC. */
		state: text(),
		stateLawNote: text(),
		taskForce: text(),
		victimSpecialist: text(),
		ngoPartner: text(),
		notificationRule: text(),
		createdBy: integer().references(() => user.id),
		createdAt: integer({ mode: 'timestamp_ms' }).notNull()
	},
	(t) => [
		uniqueIndex('agency_policy_version').on(t.orgId, t.version),
		index('agency_policy_org_idx').on(t.orgId)
	]
);
