import { and, count, eq, inArray } from 'drizzle-orm';
import type { Queryable } from '../db';
import { assessmentAttempt, membership, scenarioStep } from '../db/schema';
import type { Catalog } from '../courses/catalog';
import { activeAssignments } from './roster-status';

/** A step with fewer answers than this shows no figures (people could be recognised). */
export const MIN_ANSWERS = 5;

export interface StepInsight {
	id: string;
	text: string;
	total: number;
	tooFew: boolean;
	choices: { id: string; text: string; count: number; percent: number; wrongTurn: boolean }[];
}

/**
 * How the organization's members chose at each step of each branching scenario of the courses
 * it requires: aggregates only, one grouped query; a step with fewer than five answers shows
 * "too few to show". A wrong turn is a choice worth fewer points than the step's best.
 */
export function scenarioInsights(db: Queryable, orgId: number, catalog: Catalog) {
	const slugs = [...new Set(activeAssignments(db, orgId).map((a) => a.courseSlug))];
	if (!slugs.length) return [];
	const members = db
		.select({ id: membership.userId })
		.from(membership)
		.where(and(eq(membership.orgId, orgId), eq(membership.active, true)));
	const counts = new Map<string, number>();
	for (const r of db
		.select({
			course: assessmentAttempt.courseSlug,
			question: scenarioStep.questionId,
			step: scenarioStep.stepId,
			choice: scenarioStep.choiceId,
			n: count()
		})
		.from(scenarioStep)
		.innerJoin(assessmentAttempt, eq(assessmentAttempt.id, scenarioStep.attemptId))
		.where(
			and(inArray(assessmentAttempt.userId, members), inArray(assessmentAttempt.courseSlug, slugs))
		)
		.groupBy(
			assessmentAttempt.courseSlug,
			scenarioStep.questionId,
			scenarioStep.stepId,
			scenarioStep.choiceId
		)
		.all())
		counts.set(`${r.course}|${r.question}|${r.step}|${r.choice}`, r.n);

	return slugs.flatMap((slug) => {
		const course = catalog.bySlug.get(slug);
		if (!course) return [];
		const scenarios = course.assessment.questions.flatMap((q) =>
			q.kind === 'scenario'
				? [
						{
							id: q.id,
							title: q.title,
							steps: q.steps.map((s): StepInsight => {
								const best = Math.max(...s.choices.map((c) => c.points));
								const raw = s.choices.map((c) => ({
									id: c.id,
									text: c.text,
									count: counts.get(`${slug}|${q.id}|${s.id}|${c.id}`) ?? 0,
									wrongTurn: c.points < best
								}));
								const total = raw.reduce((sum, c) => sum + c.count, 0);
								const tooFew = total < MIN_ANSWERS;
								return {
									id: s.id,
									text: s.text,
									total,
									tooFew,
									choices: raw.map((c) => ({
										...c,
										count: tooFew ? 0 : c.count,
										percent: tooFew || !total ? 0 : Math.round((c.count / total) * 100)
									}))
								};
							})
						}
					]
				: []
		);
		return [{ slug, title: course.meta.title, scenarios }];
	});
}
