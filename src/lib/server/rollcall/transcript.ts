import { and, desc, eq, isNotNull, isNull } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Queryable } from '../db';
import {
	moduleProgress,
	organization,
	rollcallAttendance,
	rollcallCredit,
	rollcallSession,
	user
} from '../db/schema';
import type { Catalog } from '../courses/catalog';

export interface RollcallLine {
	sessionId: number;
	at: Date;
	courseTitle: string;
	moduleTitle: string;
	leader: string;
	minutes: number;
	addedBySupervisor: boolean;
	/** "roll-call, 14 March, led by Sgt. Dana Whitfield, 8 minutes" */
	line: string;
}

/**
 * A person's roll-call attendance for their transcript, newest first: every session whose close
 * recorded them. `orgId` limits it to one organization's sessions (a supervisor's view).
 */
export function listRollcallAttendance(
	db: Queryable,
	catalog: Catalog,
	userId: number,
	opts: { orgId?: number } = {}
): RollcallLine[] {
	const leader = alias(user, 'leader');
	const rows = db
		.select({
			sessionId: rollcallSession.id,
			at: rollcallSession.closedAt,
			courseSlug: rollcallSession.courseSlug,
			moduleSlug: rollcallSession.moduleSlug,
			timeZone: organization.timeZone,
			leader: leader.name,
			minutes: rollcallCredit.creditMinutes,
			addedBy: rollcallAttendance.addedBy
		})
		.from(rollcallCredit)
		.innerJoin(rollcallSession, eq(rollcallSession.id, rollcallCredit.sessionId))
		.innerJoin(rollcallAttendance, eq(rollcallAttendance.id, rollcallCredit.attendanceId))
		.innerJoin(organization, eq(organization.id, rollcallSession.orgId))
		.innerJoin(leader, eq(leader.id, rollcallSession.ledBy))
		.where(
			and(
				eq(rollcallCredit.userId, userId),
				opts.orgId ? eq(rollcallSession.orgId, opts.orgId) : undefined
			)
		)
		.orderBy(desc(rollcallSession.closedAt), desc(rollcallSession.id))
		.all();
	return rows.map((r) => {
		const course = catalog.bySlug.get(r.courseSlug);
		const at = r.at ?? new Date(0);
		const day = new Intl.DateTimeFormat('en-GB', {
			day: 'numeric',
			month: 'long',
			timeZone: r.timeZone
		}).format(at);
		return {
			sessionId: r.sessionId,
			at,
			courseTitle: course?.meta.title ?? r.courseSlug,
			moduleTitle: course?.modules.find((m) => m.slug === r.moduleSlug)?.title ?? r.moduleSlug,
			leader: r.leader,
			minutes: r.minutes,
			addedBySupervisor: r.addedBy !== null,
			line: `roll-call, ${day}, led by ${r.leader}, ${r.minutes} minute${r.minutes === 1 ? '' : 's'}`
		};
	});
}

/**
 * Whether a learner's module was done at a roll-call session, and whether the supervisor added
 * them by hand; undefined when it was not done at roll call.
 */
export function moduleDoneAtRollcall(
	db: Queryable,
	userId: number,
	courseSlug: string,
	moduleSlug: string
): { sessionId: number; addedBySupervisor: boolean } | undefined {
	const row = db
		.select({ sessionId: moduleProgress.rollcallSessionId, addedBy: rollcallAttendance.addedBy })
		.from(moduleProgress)
		.innerJoin(
			rollcallAttendance,
			and(
				eq(rollcallAttendance.sessionId, moduleProgress.rollcallSessionId),
				eq(rollcallAttendance.userId, moduleProgress.userId),
				isNull(rollcallAttendance.removedAt)
			)
		)
		.where(
			and(
				eq(moduleProgress.userId, userId),
				eq(moduleProgress.courseSlug, courseSlug),
				eq(moduleProgress.moduleSlug, moduleSlug),
				isNotNull(moduleProgress.rollcallSessionId)
			)
		)
		.get();
	return row?.sessionId
		? { sessionId: row.sessionId, addedBySupervisor: row.addedBy !== null }
		: undefined;
}
