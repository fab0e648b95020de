import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { membership, orgGroup, organization } from './organizations';
import { assignment } from './training';
import { user } from './users';

/**
 * A roll-call session: one module shown at a shift briefing. Officers join with `code` until the
 * session closes or two hours pass; closing records everyone present in one transaction.
 */
export const rollcallSession = sqliteTable(
	'rollcall_session',
	{
		id: integer().primaryKey({ autoIncrement: true }),
		orgId: integer()
			.notNull()
			.references(() => organization.id),
		courseSlug: text().notNull(),
		moduleSlug: text().notNull(),
		contentVersion: text().notNull(),
		/** The shift or unit the session is for, if any (make-ups go to its absent members). */
		groupId: integer().references(() => orgGroup.id),
		/** Six characters without look-alikes, stored upper case. */
		code: text().notNull().unique(),
		ledBy: integer()
			.notNull()
			.references(() => user.id),
		startedAt: integer({ mode: 'timestamp_ms' }).notNull(),
		closedAt: integer({ mode: 'timestamp_ms' }),
		closedBy: integer().references(() => user.id)
	},
	(t) => [index('rollcall_session_org_idx').on(t.orgId, t.startedAt)]
);

/**
 * Who is present, appended as they join or are added. A removal sets `removedAt` once (the row
 * stays); at most one row per member is present at a time, so joining twice records once.
 */
export const rollcallAttendance = sqliteTable(
	'rollcall_attendance',
	{
		id: integer().primaryKey({ autoIncrement: true }),
		sessionId: integer()
			.notNull()
			.references(() => rollcallSession.id),
		membershipId: integer()
			.notNull()
			.references(() => membership.id),
		userId: integer()
			.notNull()
			.references(() => user.id),
		/** Set when the supervisor added this person by hand (no phone). */
		addedBy: integer().references(() => user.id),
		joinedAt: integer({ mode: 'timestamp_ms' }).notNull(),
		removedAt: integer({ mode: 'timestamp_ms' }),
		removedBy: integer().references(() => user.id),
		/** SHA-256 over this row's fields, resealed on removal; its audit event commits to it. */
		recordHash: text()
	},
	(t) => [
		uniqueIndex('rollcall_attendance_present_once')
			.on(t.sessionId, t.membershipId)
			.where(sql`removed_at is null`),
		index('rollcall_attendance_user_idx').on(t.userId)
	]
);

/**
 * What closing recorded for one attendee: the credit minutes, and whether the module's progress
 * was new (a module done before keeps its first record). Written once per session and person.
 */
export const rollcallCredit = sqliteTable(
	'rollcall_credit',
	{
		id: integer().primaryKey({ autoIncrement: true }),
		sessionId: integer()
			.notNull()
			.references(() => rollcallSession.id),
		attendanceId: integer()
			.notNull()
			.references(() => rollcallAttendance.id),
		userId: integer()
			.notNull()
			.references(() => user.id),
		creditMinutes: integer().notNull(),
		moduleRecorded: integer({ mode: 'boolean' }).notNull(),
		/** The course completion this close produced, if it completed the course. */
		completionId: integer(),
		recordedAt: integer({ mode: 'timestamp_ms' }).notNull(),
		/** SHA-256 over this row's fields; the close event commits to it (records/chain.ts). */
		recordHash: text()
	},
	(t) => [
		uniqueIndex('rollcall_credit_once').on(t.sessionId, t.userId),
		index('rollcall_credit_user_idx').on(t.userId)
	]
);

/**
 * A make-up of a closed session's module for a member of its group who was not there, due a
 * week after the close. The make-up itself is `assignmentId`: a people-targeted requirement of
 * the module in required training. This row links the session to it, once per member, so
 * assigning twice assigns once. (Rows made before assignments existed have no assignment.)
 */
export const rollcallMakeup = sqliteTable(
	'rollcall_makeup',
	{
		id: integer().primaryKey({ autoIncrement: true }),
		sessionId: integer()
			.notNull()
			.references(() => rollcallSession.id),
		membershipId: integer()
			.notNull()
			.references(() => membership.id),
		dueAt: integer({ mode: 'timestamp_ms' }).notNull(),
		assignmentId: integer().references(() => assignment.id),
		createdBy: integer()
			.notNull()
			.references(() => user.id),
		createdAt: integer({ mode: 'timestamp_ms' }).notNull()
	},
	(t) => [uniqueIndex('rollcall_makeup_once').on(t.sessionId, t.membershipId)]
);
