import { describe, expect, it } from 'vitest';
import { assessmentAttempt, scenarioStep } from '../../src/lib/server/db/schema';
import { createAssignment } from '../../src/lib/server/training/assignments';
import { scenarioInsights } from '../../src/lib/server/training/insights';
import { testDb } from '../fixtures/db';
import { catalog } from '../fixtures/courses';
import { makeMember, makeOrg } from '../fixtures/training';

describe('scenario insights', () => {
	it('counts this organization’s choices per step, marks wrong turns, and hides steps with fewer than 5 answers', () => {
		const db = testDb();
		const orgId = makeOrg(db, 'UTC');
		const otherOrg = makeOrg(db, 'UTC');
		const course = catalog.bySlug.get('roll-call')!;
		const q = course.assessment.questions.find((x) => x.kind === 'scenario');
		if (!q || q.kind !== 'scenario') throw new Error('roll-call has a scenario');
		const [first, second] = q.steps;
		const best = first!.choices.reduce((a, b) => (b.points > a.points ? b : a));
		const worse = first!.choices.find((c) => c.points < best.points)!;
		const answer = (o: number, choices: [string, string][]) => {
			const m = makeMember(db, o);
			const attemptId = db
				.insert(assessmentAttempt)
				.values({
					userId: m.userId,
					courseSlug: 'roll-call',
					contentVersion: '1',
					number: 1,
					seed: 1,
					startedAt: new Date(),
					status: 'submitted'
				})
				.returning({ id: assessmentAttempt.id })
				.get().id;
			for (const [stepId, choiceId] of choices)
				db.insert(scenarioStep)
					.values({ attemptId, questionId: q.id, stepId, choiceId, at: new Date() })
					.run();
		};
		for (let i = 0; i < 4; i++) answer(orgId, [[first!.id, best.id]]);
		answer(orgId, [
			[first!.id, worse.id],
			[second!.id, second!.choices[0]!.id]
		]);
		for (let i = 0; i < 10; i++) answer(otherOrg, [[first!.id, worse.id]]); // never counted here
		const boss = makeMember(db, orgId, { role: 'supervisor' });
		createAssignment(
			db,
			orgId,
			{
				courseSlug: 'roll-call',
				scope: 'org',
				groupIds: [],
				userIds: [],
				dueKind: 'fixed',
				dueOn: '2030-01-01',
				dueDays: null,
				renewalMonths: null
			},
			{ actorId: boss.userId }
		);

		const [c] = scenarioInsights(db, orgId, catalog);
		const s = c!.scenarios.find((x) => x.id === q.id)!;
		const step1 = s.steps.find((x) => x.id === first!.id)!;
		expect(step1.total).toBe(5);
		expect(step1.tooFew).toBe(false);
		expect(step1.choices.find((x) => x.id === best.id)).toMatchObject({
			count: 4,
			percent: 80,
			wrongTurn: false
		});
		expect(step1.choices.find((x) => x.id === worse.id)).toMatchObject({
			count: 1,
			percent: 20,
			wrongTurn: true
		});
		const step2 = s.steps.find((x) => x.id === second!.id)!;
		expect(step2).toMatchObject({ total: 1, tooFew: true });
		expect(step2.choices.every((x) => x.count === 0)).toBe(true);
	});
});
