import {
	index,
	integer,
	primaryKey,
	sqliteTable,
	text,
	uniqueIndex
} from 'drizzle-orm/sqlite-core';
import { user } from './users';

export const ORG_KINDS = ['department', 'campus', 'ngo'] as const;
export const ROLES = ['learner', 'supervisor', 'admin'] as const;
export const GROUP_KINDS = ['unit', 'shift', 'team'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];
export type Role = (typeof ROLES)[number];
export type GroupKind = (typeof GROUP_KINDS)[number];

/** A police department, a campus public-safety office or an NGO. */
export const organization = sqliteTable('organization', {
	id: integer().primaryKey({ autoIncrement: true }),
	slug: text().notNull().unique(),
	name: text().notNull(),
	kind: text({ enum: ORG_KINDS }).notNull(),
	timeZone: text().notNull(),
	contactName: text(),
	contactEmail: text(),
	/** Supervisors and admins of this organization must use a second factor to sign in. */
	requireMfa: integer({ mode: 'boolean' }).notNull().default(false),
	createdAt: integer({ mode: 'timestamp_ms' }).notNull()
});

/**
 * A person's place in an organization. A row exists only once the person accepted an
 * invitation (or joined by a link themselves): nobody is made a member without consent.
 * Deactivating (by an admin) or leaving (by the person, `leftAt`) keeps the row and every
 * record made under it; the organization then no longer sees the person's records.
 */
export const membership = sqliteTable(
	'membership',
	{
		id: integer().primaryKey({ autoIncrement: true }),
		orgId: integer()
			.notNull()
			.references(() => organization.id),
		userId: integer()
			.notNull()
			.references(() => user.id),
		role: text({ enum: ROLES }).notNull(),
		/** Employee or badge number, as the organization knows the person. */
		employeeId: text(),
		active: integer({ mode: 'boolean' }).notNull().default(true),
		/** Set when the person left the organization themselves; only a new invitation brings them back. */
		leftAt: integer({ mode: 'timestamp_ms' }),
		createdAt: integer({ mode: 'timestamp_ms' }).notNull()
	},
	(t) => [
		uniqueIndex('membership_once').on(t.orgId, t.userId),
		index('membership_user_idx').on(t.userId)
	]
);

/** A unit, shift or team inside an organization. */
export const orgGroup = sqliteTable(
	'org_group',
	{
		id: integer().primaryKey({ autoIncrement: true }),
		orgId: integer()
			.notNull()
			.references(() => organization.id),
		name: text().notNull(),
		kind: text({ enum: GROUP_KINDS }).notNull()
	},
	(t) => [uniqueIndex('org_group_name').on(t.orgId, t.name)]
);

export const groupMember = sqliteTable(
	'group_member',
	{
		groupId: integer()
			.notNull()
			.references(() => orgGroup.id),
		membershipId: integer()
			.notNull()
			.references(() => membership.id),
		/**
		 * When the person joined the group: a required course assigned to the group applies to
		 * them from this day. Null for rows from before it was recorded (then: since joining).
		 */
		addedAt: integer({ mode: 'timestamp_ms' }).$defaultFn(() => new Date())
	},
	(t) => [
		primaryKey({ columns: [t.groupId, t.membershipId] }),
		index('group_member_membership_idx').on(t.membershipId)
	]
);

/** A link that lets people join an organization. Only the SHA-256 of its token is stored. */
export const invite = sqliteTable(
	'invite',
	{
		id: integer().primaryKey({ autoIncrement: true }),
		orgId: integer()
			.notNull()
			.references(() => organization.id),
		tokenHash: text().notNull().unique(),
		role: text({ enum: ROLES }).notNull(),
		groupIds: text({ mode: 'json' }).$type<number[]>().notNull(),
		/** For an invite sent to one person (email invites, roster imports). */
		email: text(),
		name: text(),
		employeeId: text(),
		maxUses: integer().notNull(),
		uses: integer().notNull().default(0),
		expiresAt: integer({ mode: 'timestamp_ms' }).notNull(),
		revokedAt: integer({ mode: 'timestamp_ms' }),
		/** Set when the invited person declined a personal invitation. */
		declinedAt: integer({ mode: 'timestamp_ms' }),
		createdBy: integer().references(() => user.id),
		createdAt: integer({ mode: 'timestamp_ms' }).notNull()
	},
	(t) => [
		index('invite_org_idx').on(t.orgId),
		index('invite_org_email_idx').on(t.orgId, t.email),
		// A person's pending invitations, looked up on their home page.
		index('invite_email_idx').on(t.email)
	]
);

/**
 * An uploaded roster, kept between the preview and the import so nothing is written before an
 * admin has seen every row's problems, and so a second click imports nothing twice.
 */
export const rosterImport = sqliteTable('roster_import', {
	id: integer().primaryKey({ autoIncrement: true }),
	orgId: integer()
		.notNull()
		.references(() => organization.id),
	fileName: text().notNull(),
	rows: text({ mode: 'json' }).$type<RosterRowData[]>().notNull(),
	status: text({ enum: ['previewed', 'importing', 'imported'] }).notNull(),
	/** Good rows imported so far: each batch commits its rows and this count together. */
	done: integer().notNull().default(0),
	result: text({ mode: 'json' }).$type<Record<string, number>>(),
	createdBy: integer()
		.notNull()
		.references(() => user.id),
	createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
	importedAt: integer({ mode: 'timestamp_ms' })
});

export interface RosterRowData {
	line: number;
	name: string;
	email: string;
	employeeId: string | null;
	groups: string[];
	role: Role;
	problems: string[];
}
