import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Queryable } from '../db';
import {
	assessmentAttempt,
	certificate,
	certificateRevocation,
	completion,
	moduleProgress
} from '../db/schema';
import type { Course } from '../courses';
import { statusOf, type CertificateStatus } from '../certificates/status';

/** Where one person stands in one course: what trainingStatus ($lib/status) turns into words. */
export interface CourseStanding {
	done: number;
	total: number;
	completed: boolean;
	/** A submitted attempt that did not pass, and no completion. */
	failed: boolean;
	certificate: { status: CertificateStatus; expiresAt: Date | null } | null;
}

/** The standing of several people in one course, in four queries whatever their number. */
export function courseStandings(
	db: Queryable,
	userIds: number[],
	course: Course,
	now = new Date()
): Map<number, CourseStanding> {
	const map = new Map<number, CourseStanding>();
	if (!userIds.length) return map;
	const modules = new Set(course.modules.map((m) => m.slug));
	for (const id of userIds)
		map.set(id, {
			done: 0,
			total: modules.size,
			completed: false,
			failed: false,
			certificate: null
		});
	const progress = db
		.selectDistinct({ userId: moduleProgress.userId, module: moduleProgress.moduleSlug })
		.from(moduleProgress)
		.where(and(inArray(moduleProgress.userId, userIds), eq(moduleProgress.courseSlug, course.slug)))
		.all();
	for (const p of progress) if (modules.has(p.module)) map.get(p.userId)!.done += 1;
	const completions = db
		.selectDistinct({ userId: completion.userId })
		.from(completion)
		.where(and(inArray(completion.userId, userIds), eq(completion.courseSlug, course.slug)))
		.all();
	for (const c of completions) map.get(c.userId)!.completed = true;
	const failures = db
		.selectDistinct({ userId: assessmentAttempt.userId })
		.from(assessmentAttempt)
		.where(
			and(
				inArray(assessmentAttempt.userId, userIds),
				eq(assessmentAttempt.courseSlug, course.slug),
				eq(assessmentAttempt.passed, false)
			)
		)
		.all();
	for (const f of failures) {
		const s = map.get(f.userId)!;
		if (!s.completed) s.failed = true;
	}
	const certificates = db
		.select({
			userId: certificate.userId,
			expiresAt: certificate.expiresAt,
			revokedAt: certificateRevocation.revokedAt
		})
		.from(certificate)
		.leftJoin(certificateRevocation, eq(certificateRevocation.certificateId, certificate.id))
		.where(and(inArray(certificate.userId, userIds), eq(certificate.courseSlug, course.slug)))
		.orderBy(desc(certificate.completedAt))
		.all();
	for (const c of certificates) {
		const s = map.get(c.userId)!;
		// The newest certificate counts (rows come newest first).
		s.certificate ??= { status: statusOf(c, now), expiresAt: c.expiresAt };
	}
	return map;
}
