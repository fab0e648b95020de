import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Queryable } from '../db';
import {
	assessmentAttempt,
	assignment,
	certificate,
	certificateRevocation,
	completion,
	exemption,
	EXEMPTION_REASONS,
	membership,
	organization,
	REVOCATION_REASONS,
	user
} from '../db/schema';
import type { Catalog } from '../courses/catalog';
import { progressByCourse, summarize } from '../learning/progress';
import { listRollcallAttendance } from '../rollcall/transcript';
import { addMonths, dayIn } from './days';
import { requirementTitle } from './describe';
import { requirementKey, rosterStatus } from './roster-status';
import { STATES, type Status } from './status';

export const CATEGORY_LABELS: Record<string, string> = {
	'law-enforcement': 'Law enforcement',
	campus: 'Campus public safety',
	investigations: 'Investigations',
	volunteers: 'Volunteers'
};

export interface Transcript {
	name: string;
	email: string;
	timeZone: string;
	today: string;
	requirements: (Status & { courseSlug: string; key: string; title: string; orgName: string })[];
	courses: { slug: string; title: string; done: number; total: number }[];
	attempts: {
		title: string;
		number: number;
		startedAt: Date;
		status: string;
		score: number | null;
		passed: boolean | null;
	}[];
	completions: {
		title: string;
		category: string;
		completedOn: string;
		method: 'self-paced' | 'roll-call';
		version: string;
		score: number;
		creditHours: number;
		certificate: {
			code: string;
			status: 'valid' | 'expired' | 'revoked';
			validUntil: string | null;
			revokedReason: string | null;
		} | null;
	}[];
	/** Roll-call sessions attended: "roll-call, 14 March, led by Sgt Diaz, 8 minutes". */
	rollcall: {
		sessionId: number;
		moduleTitle: string;
		courseTitle: string;
		line: string;
		addedBySupervisor: boolean;
	}[];
	exemptions: {
		title: string;
		reason: string;
		note: string | null;
		endsOn: string;
		ended: boolean;
		orgName: string;
	}[];
	ledger: {
		last12: number;
		year: number;
		yearLabel: string;
		byCategory: { category: string; label: string; last12: number; year: number }[];
	};
}

/**
 * One person's training record: requirements with their status, progress, attempts,
 * completions (how: self-paced or roll-call) with certificates, roll-call sessions attended
 * (of that organization only, in a supervisor's view), exemptions, and the
 * credit-hour ledger (hours from the course's `creditHours`). `orgId` limits requirements and
 * exemptions to one organization (a supervisor's view); otherwise all of the person's.
 */
export function buildTranscript(
	db: Queryable,
	catalog: Catalog,
	userId: number,
	opts: { orgId?: number; now?: Date } = {}
): Transcript {
	const now = opts.now ?? new Date();
	const person = db
		.select({ name: user.name, email: user.email })
		.from(user)
		.where(eq(user.id, userId))
		.get()!;
	const orgs = db
		.select({ id: organization.id, name: organization.name, timeZone: organization.timeZone })
		.from(membership)
		.innerJoin(organization, eq(organization.id, membership.orgId))
		.where(
			and(
				eq(membership.userId, userId),
				opts.orgId ? eq(membership.orgId, opts.orgId) : eq(membership.active, true)
			)
		)
		.orderBy(organization.name)
		.all();
	const timeZone = orgs[0]?.timeZone ?? 'UTC';
	const today = dayIn(now, timeZone);
	const title = (slug: string) => catalog.bySlug.get(slug)?.meta.title ?? slug;

	const requirements: Transcript['requirements'] = [];
	for (const org of orgs) {
		const r = rosterStatus(db, org, now, { userId });
		for (const cell of r.cells.get(userId)?.values() ?? [])
			requirements.push({ ...cell, title: requirementTitle(catalog, cell.key), orgName: org.name });
	}
	requirements.sort((a, b) => STATES.indexOf(a.state) - STATES.indexOf(b.state));

	const progress = progressByCourse(db, userId);
	const courses = catalog.courses
		.map((c) => {
			const p = summarize(c, progress.get(c.slug) ?? new Set());
			return { slug: c.slug, title: c.meta.title, done: p.done, total: p.total };
		})
		.filter((c) => c.done > 0);

	const attempts = db
		.select({
			course: assessmentAttempt.courseSlug,
			number: assessmentAttempt.number,
			startedAt: assessmentAttempt.startedAt,
			status: assessmentAttempt.status,
			score: assessmentAttempt.score,
			passed: assessmentAttempt.passed
		})
		.from(assessmentAttempt)
		.where(eq(assessmentAttempt.userId, userId))
		.orderBy(desc(assessmentAttempt.startedAt))
		.limit(500)
		.all()
		.map((a) => ({ ...a, title: title(a.course) }));

	const rows = db
		.select({
			course: completion.courseSlug,
			completedAt: completion.completedAt,
			method: completion.method,
			version: completion.contentVersion,
			score: completion.score,
			code: certificate.code,
			certHours: certificate.creditHours,
			expiresAt: certificate.expiresAt,
			revokedAt: certificateRevocation.revokedAt,
			revokedReason: certificateRevocation.reason
		})
		.from(completion)
		.leftJoin(certificate, eq(certificate.completionId, completion.id))
		.leftJoin(certificateRevocation, eq(certificateRevocation.certificateId, certificate.id))
		.where(eq(completion.userId, userId))
		.orderBy(desc(completion.completedAt), desc(completion.id))
		.all();
	const completions = rows.map((c) => {
		const course = catalog.bySlug.get(c.course);
		return {
			title: title(c.course),
			category: course?.meta.category ?? 'other',
			completedAt: c.completedAt,
			completedOn: dayIn(c.completedAt, timeZone),
			method: c.method,
			version: c.version,
			score: c.score,
			creditHours: course?.meta.creditHours ?? c.certHours ?? 0,
			certificate: c.code
				? {
						code: c.code,
						status: (c.revokedAt
							? 'revoked'
							: c.expiresAt && c.expiresAt <= now
								? 'expired'
								: 'valid') as 'valid' | 'expired' | 'revoked',
						validUntil: c.expiresAt ? dayIn(c.expiresAt, timeZone) : null,
						revokedReason: c.revokedReason ? REVOCATION_REASONS[c.revokedReason] : null
					}
				: null
		};
	});

	// Credit hours: a revoked certificate's completion earns none.
	const yearStart = `${today.slice(0, 4)}-01-01`;
	const from12 = addMonths(today, -12);
	const ledgerMap = new Map<string, { last12: number; year: number }>();
	let last12 = 0;
	let year = 0;
	for (const c of completions) {
		if (c.certificate?.status === 'revoked') continue;
		const inLast12 = c.completedOn > from12;
		const inYear = c.completedOn >= yearStart;
		if (!inLast12 && !inYear) continue;
		const e = ledgerMap.get(c.category) ?? { last12: 0, year: 0 };
		if (inLast12) {
			e.last12 += c.creditHours;
			last12 += c.creditHours;
		}
		if (inYear) {
			e.year += c.creditHours;
			year += c.creditHours;
		}
		ledgerMap.set(c.category, e);
	}

	const orgIds = orgs.map((o) => o.id);
	const exemptions = orgIds.length
		? db
				.select({
					orgId: exemption.orgId,
					course: assignment.courseSlug,
					module: assignment.moduleSlug,
					reason: exemption.reason,
					note: exemption.note,
					endsOn: exemption.endsOn,
					withdrawnAt: exemption.withdrawnAt
				})
				.from(exemption)
				.innerJoin(assignment, eq(assignment.id, exemption.seriesId))
				.where(and(eq(exemption.userId, userId), inArray(exemption.orgId, orgIds)))
				.orderBy(desc(exemption.createdAt))
				.all()
				.map((x) => ({
					title: requirementTitle(
						catalog,
						requirementKey({ courseSlug: x.course, moduleSlug: x.module })
					),
					reason: EXEMPTION_REASONS[x.reason],
					note: x.note,
					endsOn: x.endsOn,
					ended: x.withdrawnAt !== null || x.endsOn < today,
					orgName: orgs.find((o) => o.id === x.orgId)?.name ?? ''
				}))
		: [];

	const rollcall = listRollcallAttendance(db, catalog, userId, { orgId: opts.orgId }).map((r) => ({
		sessionId: r.sessionId,
		moduleTitle: r.moduleTitle,
		courseTitle: r.courseTitle,
		line: r.line,
		addedBySupervisor: r.addedBySupervisor
	}));

	const round = (n: number) => Math.round(n * 100) / 100;
	return {
		name: person.name,
		email: person.email,
		timeZone,
		today,
		requirements,
		courses,
		attempts,
		completions,
		rollcall,
		exemptions,
		ledger: {
			last12: round(last12),
			year: round(year),
			yearLabel: today.slice(0, 4),
			byCategory: [...ledgerMap.entries()]
				.map(([category, v]) => ({
					category,
					label: CATEGORY_LABELS[category] ?? category,
					last12: round(v.last12),
					year: round(v.year)
				}))
				.sort((a, b) => a.label.localeCompare(b.label))
		}
	};
}
