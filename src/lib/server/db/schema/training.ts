import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { organization } from './organizations';
import { user } from './users';

export const DUE_KINDS = ['fixed', 'after_joining', 'after_assigned'] as const;
export type DueKind = (typeof DUE_KINDS)[number];

/**
 * A course an organization requires of everyone, of some groups, or of some people. Never
 * updated in place: editing ends this row (`endedAt`) and inserts its successor with the same
 * `seriesId`; withdrawing ends it. So what was required when is always on record.
 */
export const assignment = sqliteTable(
	'assignment',
	{
		id: integer().primaryKey({ autoIncrement: true }),
		orgId: integer()
			.notNull()
			.references(() => organization.id),
		/** The first row's id, shared by every later version of the same requirement. */
		seriesId: integer(),
		courseSlug: text().notNull(),
		/**
		 * One module of the course instead of the whole course (a roll-call make-up): met when the
		 * person has done that module, by reading it or at roll call. Null: the whole course.
		 */
		moduleSlug: text(),
		scope: text({ enum: ['org', 'groups', 'people'] }).notNull(),
		groupIds: text({ mode: 'json' }).$type<number[]>().notNull(),
		userIds: text({ mode: 'json' }).$type<number[]>().notNull(),
		dueKind: text({ enum: DUE_KINDS }).notNull(),
		/** For a fixed due date: the day, YYYY-MM-DD, in the organization's time zone. */
		dueOn: text(),
		/** For a relative due date: days after joining or after being assigned. */
		dueDays: integer(),
		/** Renewal: months after each person's own last completion; null for once only. */
		renewalMonths: integer(),
		createdBy: integer().references(() => user.id),
		/** When this version was saved. */
		createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
		/** When the series was first assigned ("days after being assigned" counts from here). */
		since: integer({ mode: 'timestamp_ms' }).notNull(),
		endedAt: integer({ mode: 'timestamp_ms' }),
		endedBy: integer().references(() => user.id),
		endReason: text({ enum: ['edited', 'withdrawn'] })
	},
	(t) => [index('assignment_org_idx').on(t.orgId, t.endedAt)]
);

export const EXEMPTION_REASONS = {
	medical_leave: 'Medical leave',
	military_deployment: 'Military deployment',
	light_duty: 'Light duty',
	other: 'Other'
} as const;
export type ExemptionReason = keyof typeof EXEMPTION_REASONS;

/** A person excused from one requirement until the end of `endsOn` (the organization's day). */
export const exemption = sqliteTable(
	'exemption',
	{
		id: integer().primaryKey({ autoIncrement: true }),
		orgId: integer()
			.notNull()
			.references(() => organization.id),
		/** The requirement's series (assignment.seriesId). */
		seriesId: integer().notNull(),
		userId: integer()
			.notNull()
			.references(() => user.id),
		reason: text({
			enum: Object.keys(EXEMPTION_REASONS) as [ExemptionReason, ...ExemptionReason[]]
		}).notNull(),
		note: text(),
		endsOn: text().notNull(),
		createdBy: integer()
			.notNull()
			.references(() => user.id),
		createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
		/** Ended early by a supervisor: kept, with who and when. */
		withdrawnAt: integer({ mode: 'timestamp_ms' }),
		withdrawnBy: integer().references(() => user.id),
		/** SHA-256 over this row's fields, resealed when withdrawn; its audit event commits to it. */
		recordHash: text()
	},
	(t) => [
		index('exemption_org_idx').on(t.orgId),
		index('exemption_user_idx').on(t.userId, t.seriesId)
	]
);

/** An organization's reminder thresholds (defaults apply without a row). */
export const reminderSettings = sqliteTable('reminder_settings', {
	orgId: integer()
		.primaryKey()
		.references(() => organization.id),
	daysBefore: integer().notNull().default(7),
	onDueDate: integer({ mode: 'boolean' }).notNull().default(true),
	overdueRepeats: integer().notNull().default(4),
	expiryDaysBefore: integer().notNull().default(30),
	weeklyDigest: integer({ mode: 'boolean' }).notNull().default(true),
	updatedAt: integer({ mode: 'timestamp_ms' }),
	updatedBy: integer().references(() => user.id)
});

/**
 * One reminder, claimed before it is sent. The unique index is the "at most once": a person,
 * requirement series, cycle (its due day) and threshold can be claimed only once, whichever
 * process or run gets there first. Sent after the claim commits; a failed send is retried.
 */
export const reminder = sqliteTable(
	'reminder',
	{
		id: integer().primaryKey({ autoIncrement: true }),
		orgId: integer()
			.notNull()
			.references(() => organization.id),
		userId: integer()
			.notNull()
			.references(() => user.id),
		/** The requirement's series; minus the organization's id for a supervisor's weekly digest. */
		seriesId: integer().notNull(),
		courseSlug: text(),
		/** The cycle: its due day (or expiry day); the ISO week for a digest. */
		cycle: text().notNull(),
		/** before, due, overdue-1 … overdue-4, expiry, digest */
		threshold: text().notNull(),
		toEmail: text().notNull(),
		subject: text().notNull(),
		body: text().notNull(),
		status: text({ enum: ['sending', 'sent', 'failed'] }).notNull(),
		attempts: integer().notNull().default(0),
		lastError: text(),
		claimedAt: integer({ mode: 'timestamp_ms' }).notNull(),
		sentAt: integer({ mode: 'timestamp_ms' })
	},
	(t) => [
		uniqueIndex('reminder_once').on(t.userId, t.seriesId, t.cycle, t.threshold),
		index('reminder_status_idx').on(t.status),
		index('reminder_user_idx').on(t.userId, t.sentAt)
	]
);
