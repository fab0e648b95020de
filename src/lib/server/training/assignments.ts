import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { DB, Queryable } from '../db';
import {
	assignment,
	exemption,
	membership,
	orgGroup,
	reminderSettings,
	user,
	type DueKind,
	type ExemptionReason
} from '../db/schema';
import { recordAudit } from '../audit';
import { sealRecord } from '../records/seal';
import type { Assignment } from './roster-status';

export interface AssignmentInput {
	courseSlug: string;
	/** One module of the course (a roll-call make-up); omitted or null: the whole course. */
	moduleSlug?: string | null;
	scope: 'org' | 'groups' | 'people';
	groupIds: number[];
	userIds: number[];
	dueKind: DueKind;
	dueOn: string | null;
	dueDays: number | null;
	renewalMonths: number | null;
}

interface Actor {
	actorId: number;
	ip?: string | null;
}

type Failure = { ok: false; reason: 'not_found' | 'unknown_group' | 'unknown_person' };

function checkTargets(db: Queryable, orgId: number, input: AssignmentInput): Failure | null {
	if (input.scope === 'groups') {
		const known = db
			.select({ id: orgGroup.id })
			.from(orgGroup)
			.where(and(eq(orgGroup.orgId, orgId), inArray(orgGroup.id, input.groupIds)))
			.all();
		if (known.length !== new Set(input.groupIds).size)
			return { ok: false, reason: 'unknown_group' };
	}
	if (input.scope === 'people') {
		const known = db
			.select({ id: membership.userId })
			.from(membership)
			.where(and(eq(membership.orgId, orgId), inArray(membership.userId, input.userIds)))
			.all();
		if (known.length !== new Set(input.userIds).size)
			return { ok: false, reason: 'unknown_person' };
	}
	return null;
}

function values(input: AssignmentInput) {
	return {
		courseSlug: input.courseSlug,
		moduleSlug: input.moduleSlug ?? null,
		scope: input.scope,
		groupIds: input.scope === 'groups' ? [...new Set(input.groupIds)] : [],
		userIds: input.scope === 'people' ? [...new Set(input.userIds)] : [],
		dueKind: input.dueKind,
		dueOn: input.dueKind === 'fixed' ? input.dueOn : null,
		dueDays: input.dueKind === 'fixed' ? null : input.dueDays,
		renewalMonths: input.renewalMonths
	};
}

/** Requires a course (or one of its modules); audited in the same transaction. */
export function createAssignment(
	db: DB,
	orgId: number,
	input: AssignmentInput,
	by: Actor,
	now = new Date()
): { ok: true; id: number } | Failure {
	return db.transaction((tx) => insertAssignment(tx, orgId, input, by, now));
}

/**
 * `createAssignment` inside a caller's transaction (roll-call make-ups assign from the
 * transaction that links them to their session).
 */
export function insertAssignment(
	tx: Queryable,
	orgId: number,
	input: AssignmentInput,
	by: Actor,
	now = new Date()
): { ok: true; id: number } | Failure {
	const bad = checkTargets(tx, orgId, input);
	if (bad) return bad;
	const row = tx
		.insert(assignment)
		.values({ orgId, ...values(input), createdBy: by.actorId, createdAt: now, since: now })
		.returning({ id: assignment.id })
		.get();
	tx.update(assignment).set({ seriesId: row.id }).where(eq(assignment.id, row.id)).run();
	recordAudit(tx, {
		action: 'assignment.create',
		outcome: 'success',
		actorId: by.actorId,
		ip: by.ip,
		orgId,
		subjectType: 'assignment',
		subjectId: row.id,
		detail: values(input),
		at: now
	});
	return { ok: true, id: row.id };
}

/**
 * Changes a requirement: the version in force is ended ("edited") and a new row with the same
 * series takes its place, keeping the day it was first assigned. Nothing is overwritten.
 */
export function editAssignment(
	db: DB,
	orgId: number,
	id: number,
	input: AssignmentInput,
	by: Actor,
	now = new Date()
): { ok: true; id: number } | Failure {
	return db.transaction((tx) => {
		const current = findCurrent(tx, orgId, id);
		if (!current) return { ok: false, reason: 'not_found' };
		const bad = checkTargets(tx, orgId, input);
		if (bad) return bad;
		tx.update(assignment)
			.set({ endedAt: now, endedBy: by.actorId, endReason: 'edited' })
			.where(eq(assignment.id, current.id))
			.run();
		const next = tx
			.insert(assignment)
			.values({
				orgId,
				seriesId: current.seriesId ?? current.id,
				...values({ ...input, courseSlug: current.courseSlug, moduleSlug: current.moduleSlug }),
				createdBy: by.actorId,
				createdAt: now,
				since: current.since
			})
			.returning({ id: assignment.id })
			.get();
		recordAudit(tx, {
			action: 'assignment.edit',
			outcome: 'success',
			actorId: by.actorId,
			ip: by.ip,
			orgId,
			subjectType: 'assignment',
			subjectId: next.id,
			detail: {
				replaces: current.id,
				series: current.seriesId ?? current.id,
				...values({ ...input, moduleSlug: current.moduleSlug })
			},
			at: now
		});
		return { ok: true, id: next.id };
	});
}

/** Withdraws a requirement: it ends today; its history and everyone's records stay. */
export function withdrawAssignment(
	db: DB,
	orgId: number,
	id: number,
	by: Actor,
	now = new Date()
): { ok: true } | Failure {
	return db.transaction((tx) => {
		const current = findCurrent(tx, orgId, id);
		if (!current) return { ok: false, reason: 'not_found' };
		tx.update(assignment)
			.set({ endedAt: now, endedBy: by.actorId, endReason: 'withdrawn' })
			.where(eq(assignment.id, current.id))
			.run();
		recordAudit(tx, {
			action: 'assignment.withdraw',
			outcome: 'success',
			actorId: by.actorId,
			ip: by.ip,
			orgId,
			subjectType: 'assignment',
			subjectId: current.id,
			detail: { course: current.courseSlug, series: current.seriesId ?? current.id },
			at: now
		});
		return { ok: true };
	});
}

function findCurrent(db: Queryable, orgId: number, id: number): Assignment | undefined {
	return db
		.select()
		.from(assignment)
		.where(and(eq(assignment.id, id), eq(assignment.orgId, orgId), isNull(assignment.endedAt)))
		.get();
}

export function findAssignment(db: Queryable, orgId: number, id: number) {
	return findCurrent(db, orgId, id);
}

/** Every version ever saved, newest first: the history shown under the list. */
export function assignmentHistory(db: Queryable, orgId: number) {
	return db
		.select()
		.from(assignment)
		.where(eq(assignment.orgId, orgId))
		.orderBy(desc(assignment.createdAt), desc(assignment.id))
		.limit(200)
		.all();
}

export interface ExemptionInput {
	seriesId: number;
	userId: number;
	reason: ExemptionReason;
	note: string | null;
	endsOn: string;
}

/** Exempts one person from one requirement until the end of a day; audited. */
export function createExemption(
	db: DB,
	orgId: number,
	input: ExemptionInput,
	by: Actor,
	now = new Date()
): { ok: true; id: number } | { ok: false; reason: 'unknown_requirement' | 'unknown_person' } {
	return db.transaction((tx) => {
		const series = tx
			.select({ id: assignment.id })
			.from(assignment)
			.where(and(eq(assignment.orgId, orgId), eq(assignment.seriesId, input.seriesId)))
			.get();
		if (!series) return { ok: false, reason: 'unknown_requirement' };
		const member = tx
			.select({ id: membership.id })
			.from(membership)
			.where(and(eq(membership.orgId, orgId), eq(membership.userId, input.userId)))
			.get();
		if (!member) return { ok: false, reason: 'unknown_person' };
		const row = tx
			.insert(exemption)
			.values({ orgId, ...input, createdBy: by.actorId, createdAt: now })
			.returning({ id: exemption.id })
			.get();
		recordAudit(tx, {
			action: 'exemption.create',
			outcome: 'success',
			actorId: by.actorId,
			ip: by.ip,
			orgId,
			subjectType: 'exemption',
			subjectId: row.id,
			detail: { ...input, records: [sealRecord(tx, 'exemption', row.id)] },
			at: now
		});
		return { ok: true, id: row.id };
	});
}

/** Ends an exemption early: the row stays, with who ended it and when. */
export function withdrawExemption(
	db: DB,
	orgId: number,
	id: number,
	by: Actor,
	now = new Date()
): { ok: boolean } {
	return db.transaction((tx) => {
		const row = tx
			.select({ id: exemption.id })
			.from(exemption)
			.where(and(eq(exemption.id, id), eq(exemption.orgId, orgId), isNull(exemption.withdrawnAt)))
			.get();
		if (!row) return { ok: false };
		tx.update(exemption)
			.set({ withdrawnAt: now, withdrawnBy: by.actorId })
			.where(eq(exemption.id, id))
			.run();
		recordAudit(tx, {
			action: 'exemption.withdraw',
			outcome: 'success',
			actorId: by.actorId,
			ip: by.ip,
			orgId,
			subjectType: 'exemption',
			subjectId: id,
			// The withdrawn row is sealed again: this event commits to its new hash.
			detail: { records: [sealRecord(tx, 'exemption', id)] },
			at: now
		});
		return { ok: true };
	});
}

/** Exemptions of an organization (or one person), newest first, with the person's name. */
export function listExemptions(db: Queryable, orgId: number, userId?: number) {
	return db
		.select({
			id: exemption.id,
			seriesId: exemption.seriesId,
			userId: exemption.userId,
			name: user.name,
			reason: exemption.reason,
			note: exemption.note,
			endsOn: exemption.endsOn,
			createdAt: exemption.createdAt,
			withdrawnAt: exemption.withdrawnAt
		})
		.from(exemption)
		.innerJoin(user, eq(user.id, exemption.userId))
		.where(and(eq(exemption.orgId, orgId), userId ? eq(exemption.userId, userId) : undefined))
		.orderBy(desc(exemption.createdAt), desc(exemption.id))
		.limit(200)
		.all();
}

export interface ReminderThresholds {
	daysBefore: number;
	onDueDate: boolean;
	overdueRepeats: number;
	expiryDaysBefore: number;
	weeklyDigest: boolean;
}

export const DEFAULT_THRESHOLDS: ReminderThresholds = {
	daysBefore: 7,
	onDueDate: true,
	overdueRepeats: 4,
	expiryDaysBefore: 30,
	weeklyDigest: true
};

export function reminderThresholds(db: Queryable, orgId: number): ReminderThresholds {
	const row = db.select().from(reminderSettings).where(eq(reminderSettings.orgId, orgId)).get();
	return row
		? {
				daysBefore: row.daysBefore,
				onDueDate: row.onDueDate,
				overdueRepeats: row.overdueRepeats,
				expiryDaysBefore: row.expiryDaysBefore,
				weeklyDigest: row.weeklyDigest
			}
		: DEFAULT_THRESHOLDS;
}

export function saveReminderThresholds(
	db: DB,
	orgId: number,
	t: ReminderThresholds,
	by: Actor,
	now = new Date()
): void {
	db.transaction((tx) => {
		tx.insert(reminderSettings)
			.values({ orgId, ...t, updatedAt: now, updatedBy: by.actorId })
			.onConflictDoUpdate({
				target: reminderSettings.orgId,
				set: { ...t, updatedAt: now, updatedBy: by.actorId }
			})
			.run();
		recordAudit(tx, {
			action: 'reminders.settings',
			outcome: 'success',
			actorId: by.actorId,
			ip: by.ip,
			orgId,
			subjectType: 'organization',
			subjectId: orgId,
			detail: { ...t },
			at: now
		});
	});
}
