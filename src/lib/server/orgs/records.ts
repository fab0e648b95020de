import { and, count, countDistinct, desc, eq, gt, inArray, isNull, or } from 'drizzle-orm';
import type { Queryable } from '../db';
import { certificate, certificateRevocation, completion, membership } from '../db/schema';
import { catalog } from '../courses';
import { progressByCourse, summarize } from '../learning/progress';
import { listCertificates, statusOf } from '../certificates/status';
import { courseStandings } from './training';

/** The dashboard's figures, counted over the organization's active members only. */
export function orgDashboard(db: Queryable, orgId: number, now = new Date()) {
	const members = db
		.select({ userId: membership.userId })
		.from(membership)
		.where(and(eq(membership.orgId, orgId), eq(membership.active, true)));
	const active =
		db
			.select({ n: count() })
			.from(membership)
			.where(and(eq(membership.orgId, orgId), eq(membership.active, true)))
			.get()?.n ?? 0;
	const staff =
		db
			.select({ n: count() })
			.from(membership)
			.where(
				and(
					eq(membership.orgId, orgId),
					eq(membership.active, true),
					inArray(membership.role, ['supervisor', 'admin'])
				)
			)
			.get()?.n ?? 0;
	const recentCompletions =
		db
			.select({ n: count() })
			.from(completion)
			.where(
				and(
					inArray(completion.userId, members),
					gt(completion.completedAt, new Date(now.getTime() - 30 * 86_400_000))
				)
			)
			.get()?.n ?? 0;
	const validCertificates =
		db
			.select({ n: count() })
			.from(certificate)
			.leftJoin(certificateRevocation, eq(certificateRevocation.certificateId, certificate.id))
			.where(
				and(
					inArray(certificate.userId, members),
					isNull(certificateRevocation.id),
					or(isNull(certificate.expiresAt), gt(certificate.expiresAt, now))
				)
			)
			.get()?.n ?? 0;
	const done = new Map(
		db
			.select({ course: completion.courseSlug, n: countDistinct(completion.userId) })
			.from(completion)
			.where(inArray(completion.userId, members))
			.groupBy(completion.courseSlug)
			.all()
			.map((r) => [r.course, r.n])
	);
	return {
		active,
		staff,
		recentCompletions,
		validCertificates,
		byCourse: catalog.courses.map((c) => ({
			slug: c.slug,
			title: c.meta.title,
			completed: done.get(c.slug) ?? 0
		}))
	};
}

/**
 * One person's training record: progress, completions and certificates, for their supervisors.
 *
 * THE RULE (security review H1): an organization sees a person's records only through an
 * active membership the person accepted. Every membership row is an acceptance (an import, an
 * invite or an admin creates invitations only; the row appears when the person accepts), so
 * "accepted" is "has a row", and "active" is `membership.active` (false once an admin
 * deactivates it or the person leaves). Callers show this transcript only for an active
 * membership of the viewing organization (see the member page), and certificate PDFs follow
 * `supervises` below. Records are the person's own: accepting an invitation is consenting to
 * that organization's staff seeing them, and leaving withdraws it.
 */
export function memberTranscript(db: Queryable, userId: number) {
	const progress = progressByCourse(db, userId);
	const completions = db
		.select({
			course: completion.courseSlug,
			version: completion.contentVersion,
			score: completion.score,
			method: completion.method,
			at: completion.completedAt
		})
		.from(completion)
		.where(eq(completion.userId, userId))
		.orderBy(desc(completion.completedAt))
		.all();
	return {
		courses: catalog.courses.map((c) => {
			const p = summarize(c, progress.get(c.slug) ?? new Set());
			return { slug: c.slug, title: c.meta.title, done: p.done, total: p.total };
		}),
		completions: completions.map((c) => ({
			...c,
			title: catalog.bySlug.get(c.course)?.meta.title ?? c.course
		})),
		certificates: listCertificates(db, userId).map((c) => ({
			code: c.code,
			courseTitle: c.courseTitle,
			completedAt: c.completedAt,
			expiresAt: c.expiresAt,
			status: statusOf(c)
		}))
	};
}

/**
 * Whether `viewerId` supervises `holderId`: an active supervisor or admin of an organization in
 * which the holder is an active (hence accepted) member. Pending invitations, deactivated and
 * left memberships give nothing.
 */
export function supervises(db: Queryable, viewerId: number, holderId: number): boolean {
	const row = db
		.select({ id: membership.id })
		.from(membership)
		.where(
			and(
				eq(membership.userId, viewerId),
				eq(membership.active, true),
				inArray(membership.role, ['supervisor', 'admin']),
				inArray(
					membership.orgId,
					db
						.select({ org: membership.orgId })
						.from(membership)
						.where(and(eq(membership.userId, holderId), eq(membership.active, true)))
				)
			)
		)
		.get();
	return row !== undefined;
}

/**
 * One person's training as one row per course: where they stand (for a status tag), their
 * latest result and their newest certificate. For the member page.
 */
export function memberTraining(db: Queryable, userId: number) {
	const t = memberTranscript(db, userId);
	return catalog.courses.map((c) => {
		const standing = courseStandings(db, [userId], c).get(userId)!;
		const latest = t.completions.find((x) => x.course === c.slug);
		const cert = t.certificates.find((x) => x.courseTitle === c.meta.title);
		return {
			slug: c.slug,
			title: c.meta.title,
			standing,
			result: latest ? { score: latest.score, at: latest.at, method: latest.method } : null,
			certificate: cert ? { code: cert.code, status: cert.status } : null
		};
	});
}
