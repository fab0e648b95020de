import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, notInArray, sql } from 'drizzle-orm';
import type { DB, Queryable, Tx } from '../db';
import {
	assessmentAttempt,
	certificate,
	completion,
	groupMember,
	membership,
	moduleProgress,
	orgGroup,
	organization,
	rollcallAttendance,
	rollcallCredit,
	rollcallMakeup,
	rollcallSession,
	user
} from '../db/schema';
import type { Catalog, Course, CourseModule } from '../courses/catalog';
import { recordAudit } from '../audit';
import { sealRecord } from '../records/seal';
import { completedModules } from '../learning/progress';
import { recordCompletion } from '../learning/completion';
import { issuerFor } from '../orgs/access';
import { insertAssignment } from '../training/assignments';
import { dayIn } from '../training/days';
import { newJoinCode, normalizeCode } from './code';
import type { JoinThrottle } from './throttle';

/** A code stops working this long after the session started. */
export const CODE_LIFETIME_MS = 2 * 60 * 60_000;
/** A make-up is due this long after the session closed. */
export const MAKEUP_DAYS = 7;

export interface Actor {
	userId: number;
	ip?: string | null;
}

export type SessionRow = typeof rollcallSession.$inferSelect;

function lookupModule(
	catalog: Catalog,
	courseSlug: string,
	moduleSlug: string
): { course: Course; module: CourseModule } | null {
	const course = catalog.bySlug.get(courseSlug);
	const module = course?.modules.find((m) => m.slug === moduleSlug);
	return course && module ? { course, module } : null;
}

export type StartResult =
	| { ok: true; sessionId: number; code: string }
	| { ok: false; field: 'module' | 'group'; message: string };

/** Starts a session for one module of a course, optionally for one group of the organization. */
export function startSession(
	db: DB,
	catalog: Catalog,
	input: {
		orgId: number;
		courseSlug: string;
		moduleSlug: string;
		groupId: number | null;
		actor: Actor;
		now?: Date;
	}
): StartResult {
	const found = lookupModule(catalog, input.courseSlug, input.moduleSlug);
	if (!found) return { ok: false, field: 'module', message: 'Choose a module from the list.' };
	const now = input.now ?? new Date();
	return db.transaction(
		(tx): StartResult => {
			if (input.groupId !== null) {
				const g = tx
					.select({ id: orgGroup.id })
					.from(orgGroup)
					.where(and(eq(orgGroup.id, input.groupId), eq(orgGroup.orgId, input.orgId)))
					.get();
				if (!g) return { ok: false, field: 'group', message: 'Choose a group from the list.' };
			}
			// 31^6 codes: a clash with any earlier session is rare; the unique index makes it safe.
			for (let tries = 0; ; tries++) {
				const code = newJoinCode();
				const clash = tx
					.select({ id: rollcallSession.id })
					.from(rollcallSession)
					.where(eq(rollcallSession.code, code))
					.get();
				if (clash && tries < 20) continue;
				const sessionId = tx
					.insert(rollcallSession)
					.values({
						orgId: input.orgId,
						courseSlug: found.course.slug,
						moduleSlug: found.module.slug,
						contentVersion: found.course.meta.version,
						groupId: input.groupId,
						code,
						ledBy: input.actor.userId,
						startedAt: now
					})
					.returning({ id: rollcallSession.id })
					.get().id;
				recordAudit(tx, {
					action: 'rollcall.start',
					outcome: 'success',
					actorId: input.actor.userId,
					ip: input.actor.ip,
					orgId: input.orgId,
					subjectType: 'rollcall_session',
					subjectId: sessionId,
					detail: { course: found.course.slug, module: found.module.slug, group: input.groupId },
					at: now
				});
				return { ok: true, sessionId, code };
			}
		},
		{ behavior: 'immediate' }
	);
}

/** One session of this organization (another's id is simply not found). */
export function findSession(db: Queryable, orgId: number, sessionId: number) {
	return db
		.select({
			id: rollcallSession.id,
			orgId: rollcallSession.orgId,
			courseSlug: rollcallSession.courseSlug,
			moduleSlug: rollcallSession.moduleSlug,
			contentVersion: rollcallSession.contentVersion,
			groupId: rollcallSession.groupId,
			groupName: orgGroup.name,
			code: rollcallSession.code,
			ledBy: rollcallSession.ledBy,
			leaderName: user.name,
			startedAt: rollcallSession.startedAt,
			closedAt: rollcallSession.closedAt
		})
		.from(rollcallSession)
		.innerJoin(user, eq(user.id, rollcallSession.ledBy))
		.leftJoin(orgGroup, eq(orgGroup.id, rollcallSession.groupId))
		.where(and(eq(rollcallSession.id, sessionId), eq(rollcallSession.orgId, orgId)))
		.get();
}
export type SessionView = NonNullable<ReturnType<typeof findSession>>;

export function isExpired(session: { startedAt: Date }, now = new Date()): boolean {
	return now.getTime() - session.startedAt.getTime() >= CODE_LIFETIME_MS;
}

/** The organization's sessions, newest first, each with how many are present. */
export function listSessions(db: Queryable, orgId: number, limit = 50) {
	const present = db
		.select({
			sessionId: rollcallAttendance.sessionId,
			n: sql<number>`count(*)`.as('n')
		})
		.from(rollcallAttendance)
		.where(isNull(rollcallAttendance.removedAt))
		.groupBy(rollcallAttendance.sessionId)
		.as('present');
	return db
		.select({
			id: rollcallSession.id,
			courseSlug: rollcallSession.courseSlug,
			moduleSlug: rollcallSession.moduleSlug,
			groupName: orgGroup.name,
			leaderName: user.name,
			startedAt: rollcallSession.startedAt,
			closedAt: rollcallSession.closedAt,
			attendees: sql<number>`coalesce(${present.n}, 0)`
		})
		.from(rollcallSession)
		.innerJoin(user, eq(user.id, rollcallSession.ledBy))
		.leftJoin(orgGroup, eq(orgGroup.id, rollcallSession.groupId))
		.leftJoin(present, eq(present.sessionId, rollcallSession.id))
		.where(eq(rollcallSession.orgId, orgId))
		.orderBy(desc(rollcallSession.startedAt), desc(rollcallSession.id))
		.limit(limit)
		.all();
}

/** Who is present now, in the order they arrived. */
export function listAttendees(db: Queryable, sessionId: number) {
	return db
		.select({
			attendanceId: rollcallAttendance.id,
			membershipId: rollcallAttendance.membershipId,
			userId: rollcallAttendance.userId,
			name: user.name,
			employeeId: membership.employeeId,
			addedBySupervisor: sql<boolean>`${rollcallAttendance.addedBy} is not null`.mapWith(Boolean),
			joinedAt: rollcallAttendance.joinedAt
		})
		.from(rollcallAttendance)
		.innerJoin(user, eq(user.id, rollcallAttendance.userId))
		.innerJoin(membership, eq(membership.id, rollcallAttendance.membershipId))
		.where(and(eq(rollcallAttendance.sessionId, sessionId), isNull(rollcallAttendance.removedAt)))
		.orderBy(asc(rollcallAttendance.joinedAt), asc(rollcallAttendance.id))
		.all();
}

/** The live view the presenter polls: a count and names, nothing else. */
export function presence(db: Queryable, sessionId: number) {
	const rows = listAttendees(db, sessionId);
	return { count: rows.length, names: rows.map((r) => r.name) };
}

export type JoinResult =
	| { ok: true; sessionId: number; orgId: number; recorded: boolean }
	| {
			ok: false;
			reason: 'not_found' | 'closed' | 'expired' | 'not_member' | 'throttled';
			retryAfterSeconds?: number;
	  };

export const JOIN_MESSAGES: Record<Exclude<JoinResult, { ok: true }>['reason'], string> = {
	not_found: 'There is no session with that code. Check the code on the screen and try again.',
	closed: 'That session has closed. Ask your supervisor to add you by hand.',
	expired: 'That code has expired: codes work for two hours. Ask your supervisor for a new one.',
	not_member: 'That session belongs to an organization you are not an active member of.',
	throttled: 'Too many wrong codes. Wait a few minutes and try again.'
};

/**
 * An officer joins with a code. Only active members of the session's organization may join,
 * while the session is open and less than two hours old. Joining twice records once. Wrong
 * codes count against the account and the address (`throttle`).
 */
export function joinByCode(
	db: DB,
	throttle: JoinThrottle | null,
	input: { code: string; userId: number; ip: string; now?: Date }
): JoinResult {
	const now = input.now ?? new Date();
	const keys = { account: `u:${input.userId}`, address: `a:${input.ip}` };
	if (throttle) {
		const wait = Math.max(
			throttle.account.blockedFor(keys.account, now.getTime()),
			throttle.address.blockedFor(keys.address, now.getTime())
		);
		if (wait > 0) return { ok: false, reason: 'throttled', retryAfterSeconds: wait };
	}
	const result = join(db, input.code, input.userId, now);
	if (!result.ok && throttle) {
		throttle.account.fail(keys.account, now.getTime());
		throttle.address.fail(keys.address, now.getTime());
	}
	return result;
}

function join(db: DB, typed: string, userId: number, now: Date): JoinResult {
	const code = normalizeCode(typed);
	if (!code) return { ok: false, reason: 'not_found' };
	const session = db
		.select({
			id: rollcallSession.id,
			orgId: rollcallSession.orgId,
			startedAt: rollcallSession.startedAt,
			closedAt: rollcallSession.closedAt
		})
		.from(rollcallSession)
		.where(eq(rollcallSession.code, code))
		.get();
	if (!session) return { ok: false, reason: 'not_found' };
	const member = activeMember(db, session.orgId, { userId });
	if (!member) return { ok: false, reason: 'not_member' };
	if (session.closedAt) return { ok: false, reason: 'closed' };
	if (isExpired(session, now)) return { ok: false, reason: 'expired' };
	// The partial unique index keeps one present row per member: a second join changes nothing.
	const inserted = db
		.insert(rollcallAttendance)
		.values({ sessionId: session.id, membershipId: member.id, userId, joinedAt: now })
		.onConflictDoNothing()
		.run();
	return {
		ok: true,
		sessionId: session.id,
		orgId: session.orgId,
		recorded: inserted.changes === 1
	};
}

/** The session an officer joined, by code, for their own page (no organization check here). */
export function sessionForAttendee(db: Queryable, code: string, userId: number) {
	const normalized = normalizeCode(code);
	if (!normalized) return undefined;
	return db
		.select({
			id: rollcallSession.id,
			courseSlug: rollcallSession.courseSlug,
			moduleSlug: rollcallSession.moduleSlug,
			code: rollcallSession.code,
			orgName: organization.name,
			leaderName: user.name,
			closedAt: rollcallSession.closedAt
		})
		.from(rollcallAttendance)
		.innerJoin(rollcallSession, eq(rollcallSession.id, rollcallAttendance.sessionId))
		.innerJoin(organization, eq(organization.id, rollcallSession.orgId))
		.innerJoin(user, eq(user.id, rollcallSession.ledBy))
		.where(
			and(
				eq(rollcallSession.code, normalized),
				eq(rollcallAttendance.userId, userId),
				isNull(rollcallAttendance.removedAt)
			)
		)
		.get();
}

export type ChangeResult =
	{ ok: true; changed: boolean } | { ok: false; reason: 'not_found' | 'closed' | 'not_member' };

/** An active member of the organization, by membership or by person. */
function activeMember(
	db: Queryable,
	orgId: number,
	who: { membershipId: number } | { userId: number }
): { id: number; userId: number } | undefined {
	return db
		.select({ id: membership.id, userId: membership.userId })
		.from(membership)
		.where(
			and(
				'membershipId' in who
					? eq(membership.id, who.membershipId)
					: eq(membership.userId, who.userId),
				eq(membership.orgId, orgId),
				eq(membership.active, true)
			)
		)
		.get();
}

/**
 * A supervisor's change to the people present, in one transaction: only on this organization's
 * session (another's is not found), and only while it is open.
 */
function changeOpenSession(
	db: DB,
	orgId: number,
	sessionId: number,
	change: (tx: Tx) => ChangeResult
): ChangeResult {
	return db.transaction(
		(tx): ChangeResult => {
			const session = findSession(tx, orgId, sessionId);
			if (!session) return { ok: false, reason: 'not_found' };
			if (session.closedAt) return { ok: false, reason: 'closed' };
			return change(tx);
		},
		{ behavior: 'immediate' }
	);
}

/**
 * The supervisor adds a member by hand (an officer without a phone); the record says so. Like
 * every attendance row, it is sealed as a record when the session closes.
 */
export function addAttendee(
	db: DB,
	orgId: number,
	sessionId: number,
	membershipId: number,
	actor: Actor,
	now = new Date()
): ChangeResult {
	return changeOpenSession(db, orgId, sessionId, (tx) => {
		const member = activeMember(tx, orgId, { membershipId });
		if (!member) return { ok: false, reason: 'not_member' };
		const inserted = tx
			.insert(rollcallAttendance)
			.values({
				sessionId,
				membershipId: member.id,
				userId: member.userId,
				addedBy: actor.userId,
				joinedAt: now
			})
			.onConflictDoNothing()
			.run();
		if (inserted.changes === 1) {
			recordAudit(tx, {
				action: 'rollcall.add',
				outcome: 'success',
				actorId: actor.userId,
				ip: actor.ip,
				orgId,
				subjectType: 'rollcall_session',
				subjectId: sessionId,
				detail: { membership: member.id, user: member.userId },
				at: now
			});
		}
		return { ok: true, changed: inserted.changes === 1 };
	});
}

/** Removes a mistaken attendee before closing. The row stays, marked removed. */
export function removeAttendee(
	db: DB,
	orgId: number,
	sessionId: number,
	membershipId: number,
	actor: Actor,
	now = new Date()
): ChangeResult {
	return changeOpenSession(db, orgId, sessionId, (tx) => {
		const row = tx
			.update(rollcallAttendance)
			.set({ removedAt: now, removedBy: actor.userId })
			.where(
				and(
					eq(rollcallAttendance.sessionId, sessionId),
					eq(rollcallAttendance.membershipId, membershipId),
					isNull(rollcallAttendance.removedAt)
				)
			)
			.returning({ id: rollcallAttendance.id, userId: rollcallAttendance.userId })
			.get();
		if (row) {
			recordAudit(tx, {
				action: 'rollcall.remove',
				outcome: 'success',
				actorId: actor.userId,
				ip: actor.ip,
				orgId,
				subjectType: 'rollcall_session',
				subjectId: sessionId,
				detail: { membership: membershipId, user: row.userId, attendance: row.id },
				at: now
			});
		}
		return { ok: true, changed: row !== undefined };
	});
}

export type CloseResult =
	| { ok: true; alreadyClosed: boolean; recorded: number; completions: number }
	| { ok: false; reason: 'not_found' };

/**
 * Closes a session in one transaction: for each person present, the credit (the module's
 * minutes), the module's progress marked as done at this session, and, when that finishes the
 * course and the rules allow (no assessment to pass, or a pass not yet turned into a completion),
 * the course completion and its certificate. Closing twice records once.
 */
export function closeSession(
	db: DB,
	catalog: Catalog,
	input: { orgId: number; sessionId: number; actor: Actor; instanceName: string; now?: Date }
): CloseResult {
	const now = input.now ?? new Date();
	return db.transaction(
		(tx): CloseResult => {
			const session = findSession(tx, input.orgId, input.sessionId);
			if (!session) return { ok: false, reason: 'not_found' };
			if (session.closedAt) return { ok: true, alreadyClosed: true, recorded: 0, completions: 0 };
			const closed = tx
				.update(rollcallSession)
				.set({ closedAt: now, closedBy: input.actor.userId })
				.where(and(eq(rollcallSession.id, session.id), isNull(rollcallSession.closedAt)))
				.run();
			if (closed.changes !== 1)
				return { ok: true, alreadyClosed: true, recorded: 0, completions: 0 };
			const found = lookupModule(catalog, session.courseSlug, session.moduleSlug);
			const attendees = listAttendees(tx, session.id);
			let completions = 0;
			const credits: number[] = [];
			for (const a of attendees) {
				const progress = tx
					.insert(moduleProgress)
					.values({
						userId: a.userId,
						courseSlug: session.courseSlug,
						moduleSlug: session.moduleSlug,
						contentVersion: session.contentVersion,
						completedAt: now,
						rollcallSessionId: session.id
					})
					.onConflictDoNothing()
					.run();
				const completionId = found
					? completeCourseIfDone(tx, found.course, a.userId, input.instanceName, now)
					: null;
				if (completionId) completions += 1;
				credits.push(
					tx
						.insert(rollcallCredit)
						.values({
							sessionId: session.id,
							attendanceId: a.attendanceId,
							userId: a.userId,
							creditMinutes: found?.module.minutes ?? 0,
							moduleRecorded: progress.changes === 1,
							completionId,
							recordedAt: now
						})
						.returning({ id: rollcallCredit.id })
						.get().id
				);
			}
			// Attendance becomes a record now (present and removed rows alike: neither can change
			// after the close), sealed with each credit; this event commits to them.
			const records = [
				...tx
					.select({ id: rollcallAttendance.id })
					.from(rollcallAttendance)
					.where(eq(rollcallAttendance.sessionId, session.id))
					.orderBy(asc(rollcallAttendance.id))
					.all()
					.map((r) => sealRecord(tx, 'attendance', r.id)),
				...credits.map((id) => sealRecord(tx, 'rollcall_credit', id))
			];
			recordAudit(tx, {
				action: 'rollcall.close',
				outcome: 'success',
				actorId: input.actor.userId,
				ip: input.actor.ip,
				orgId: input.orgId,
				subjectType: 'rollcall_session',
				subjectId: session.id,
				detail: {
					course: session.courseSlug,
					module: session.moduleSlug,
					attendees: attendees.map((a) => a.userId),
					completions,
					records
				},
				at: now
			});
			return { ok: true, alreadyClosed: false, recorded: attendees.length, completions };
		},
		{ behavior: 'immediate' }
	);
}

/**
 * The existing rules for finishing a course, applied after a module was done at roll call:
 * every module done, and either the course has no assessment questions or the person has a
 * passing attempt that has not yet become a completion (a pass that waited for a module).
 */
function completeCourseIfDone(
	tx: Tx,
	course: Course,
	userId: number,
	instanceName: string,
	now: Date
): number | null {
	const done = completedModules(tx, userId, course.slug);
	if (!course.modules.every((m) => done.has(m.slug))) return null;
	const last = tx
		.select({ completedAt: completion.completedAt })
		.from(completion)
		.where(and(eq(completion.userId, userId), eq(completion.courseSlug, course.slug)))
		.orderBy(desc(completion.completedAt))
		.get();
	const issuer = issuerFor(tx, userId, course.meta.category, instanceName);
	if (course.assessment.questions.length === 0) {
		if (last) return null;
		return recordCompletion(tx, {
			userId,
			course,
			attemptId: null,
			score: 100,
			method: 'roll-call',
			issuer,
			now
		}).completionId;
	}
	const pass = tx
		.select({ id: assessmentAttempt.id, score: assessmentAttempt.score })
		.from(assessmentAttempt)
		.where(
			and(
				eq(assessmentAttempt.userId, userId),
				eq(assessmentAttempt.courseSlug, course.slug),
				eq(assessmentAttempt.passed, true),
				last ? gt(assessmentAttempt.submittedAt, last.completedAt) : undefined,
				notInArray(
					assessmentAttempt.id,
					tx
						.select({ id: sql<number>`${completion.attemptId}` })
						.from(completion)
						.where(isNotNull(completion.attemptId))
				)
			)
		)
		.orderBy(desc(assessmentAttempt.submittedAt))
		.get();
	if (!pass) return null;
	return recordCompletion(tx, {
		userId,
		course,
		attemptId: pass.id,
		score: pass.score ?? 0,
		method: 'roll-call',
		issuer,
		now
	}).completionId;
}

export type MakeUpResult =
	| { ok: true; assigned: number; assignmentId: number | null }
	| { ok: false; reason: 'not_found' | 'open' };

/**
 * After closing: the session's module as a make-up for each active member of its group (or
 * each learner of the organization, for a session without a group) who was not there. The
 * make-up is an assignment of required training, made by training's own service in this
 * transaction: one people-targeted requirement of the module, due on the organization's day
 * seven days after the close, met once the person has done the module (by reading it or at
 * another roll call). `rollcall_makeup` links each member to it, so assigning twice assigns
 * once; a member who joined the group since gets a make-up of their own on the next click.
 */
export function assignMakeUp(
	db: DB,
	orgId: number,
	sessionId: number,
	actor: Actor,
	now = new Date()
): MakeUpResult {
	return db.transaction(
		(tx): MakeUpResult => {
			const session = findSession(tx, orgId, sessionId);
			if (!session) return { ok: false, reason: 'not_found' };
			if (!session.closedAt) return { ok: false, reason: 'open' };
			const present = tx
				.select({ id: rollcallAttendance.membershipId })
				.from(rollcallAttendance)
				.where(
					and(eq(rollcallAttendance.sessionId, sessionId), isNull(rollcallAttendance.removedAt))
				);
			const already = tx
				.select({ id: rollcallMakeup.membershipId })
				.from(rollcallMakeup)
				.where(eq(rollcallMakeup.sessionId, sessionId));
			const absent = tx
				.select({ id: membership.id, userId: membership.userId })
				.from(membership)
				.where(
					and(
						eq(membership.orgId, orgId),
						eq(membership.active, true),
						notInArray(membership.id, present),
						notInArray(membership.id, already),
						session.groupId === null
							? eq(membership.role, 'learner')
							: inArray(
									membership.id,
									tx
										.select({ id: groupMember.membershipId })
										.from(groupMember)
										.where(eq(groupMember.groupId, session.groupId))
								)
					)
				)
				.orderBy(asc(membership.id))
				.all();
			if (!absent.length) return { ok: true, assigned: 0, assignmentId: null };
			const due = new Date(session.closedAt.getTime() + MAKEUP_DAYS * 86_400_000);
			const { timeZone } = tx
				.select({ timeZone: organization.timeZone })
				.from(organization)
				.where(eq(organization.id, orgId))
				.get()!;
			const made = insertAssignment(
				tx,
				orgId,
				{
					courseSlug: session.courseSlug,
					moduleSlug: session.moduleSlug,
					scope: 'people',
					groupIds: [],
					userIds: absent.map((m) => m.userId),
					dueKind: 'fixed',
					dueOn: dayIn(due, timeZone),
					dueDays: null,
					renewalMonths: null
				},
				{ actorId: actor.userId, ip: actor.ip },
				now
			);
			// Every target is an active member of this organization, checked above.
			if (!made.ok) throw new Error(`Make-up assignment refused: ${made.reason}`);
			for (const m of absent) {
				tx.insert(rollcallMakeup)
					.values({
						sessionId,
						membershipId: m.id,
						dueAt: due,
						assignmentId: made.id,
						createdBy: actor.userId,
						createdAt: now
					})
					.run();
			}
			recordAudit(tx, {
				action: 'rollcall.makeup',
				outcome: 'success',
				actorId: actor.userId,
				ip: actor.ip,
				orgId,
				subjectType: 'rollcall_session',
				subjectId: sessionId,
				detail: { assigned: absent.length, assignment: made.id },
				at: now
			});
			return { ok: true, assigned: absent.length, assignmentId: made.id };
		},
		{ behavior: 'immediate' }
	);
}

/** The make-ups a session gave out, with who and when they are due. */
export function listMakeUps(db: Queryable, sessionId: number) {
	return db
		.select({
			membershipId: rollcallMakeup.membershipId,
			userId: membership.userId,
			name: user.name,
			dueAt: rollcallMakeup.dueAt,
			assignmentId: rollcallMakeup.assignmentId
		})
		.from(rollcallMakeup)
		.innerJoin(membership, eq(membership.id, rollcallMakeup.membershipId))
		.innerJoin(user, eq(user.id, membership.userId))
		.where(eq(rollcallMakeup.sessionId, sessionId))
		.orderBy(asc(user.name))
		.all();
}

/** Members who may still be added by hand: active, not present now. */
export function addableMembers(db: Queryable, orgId: number, sessionId: number) {
	return db
		.select({ membershipId: membership.id, name: user.name, employeeId: membership.employeeId })
		.from(membership)
		.innerJoin(user, eq(user.id, membership.userId))
		.where(
			and(
				eq(membership.orgId, orgId),
				eq(membership.active, true),
				notInArray(
					membership.id,
					db
						.select({ id: rollcallAttendance.membershipId })
						.from(rollcallAttendance)
						.where(
							and(eq(rollcallAttendance.sessionId, sessionId), isNull(rollcallAttendance.removedAt))
						)
				)
			)
		)
		.orderBy(asc(user.name), asc(membership.id))
		.all();
}

/** What closing recorded, per person, with certificates issued by it (for the page and CSV). */
export function sessionRecords(db: Queryable, sessionId: number) {
	return db
		.select({
			userId: rollcallCredit.userId,
			name: user.name,
			email: user.email,
			employeeId: membership.employeeId,
			creditMinutes: rollcallCredit.creditMinutes,
			moduleRecorded: rollcallCredit.moduleRecorded,
			addedBySupervisor: sql<boolean>`${rollcallAttendance.addedBy} is not null`.mapWith(Boolean),
			score: completion.score,
			certificateCode: certificate.code,
			certificateExpiresAt: certificate.expiresAt
		})
		.from(rollcallCredit)
		.innerJoin(rollcallAttendance, eq(rollcallAttendance.id, rollcallCredit.attendanceId))
		.innerJoin(membership, eq(membership.id, rollcallAttendance.membershipId))
		.innerJoin(user, eq(user.id, rollcallCredit.userId))
		.leftJoin(completion, eq(completion.id, rollcallCredit.completionId))
		.leftJoin(certificate, eq(certificate.completionId, rollcallCredit.completionId))
		.where(eq(rollcallCredit.sessionId, sessionId))
		.orderBy(asc(user.name))
		.all();
}
