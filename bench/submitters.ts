// Learners for the submission scenario: every module of a course done and an attempt started,
// with its branching scenarios already walked through the real services, so that the one
// request each of them makes during the load is a real submission that completes the course.
import type { Course } from '../src/lib/server/courses/catalog';
import { createSession } from '../src/lib/server/auth/session';
import { readConfig } from '../src/lib/server/config';
import type { DB } from '../src/lib/server/db';
import {
	findAttempt,
	startAttempt,
	takeScenarioStep
} from '../src/lib/server/assessments/attempts';
import { drawAttempt } from '../src/lib/server/assessments/draw';
import { moduleProgress } from '../src/lib/server/db/schema';
import { answersFor, scenarioWalk } from '../tests/fixtures/courses';
import { insertUsers } from './users';

export interface Submitter {
	email: string;
	userId: number;
	attemptId: number;
	/** A session made by the real session service: 2,000 argon2 sign-ins would take half a minute. */
	cookie: string;
	/** The urlencoded `?/submit` form with every drawn question answered right. */
	body: string;
}

export function prepareSubmitters(
	db: DB,
	course: Course,
	passwordHash: string,
	prefix: string,
	count: number
): Submitter[] {
	const emails = Array.from({ length: count }, (_, i) => `${prefix}${i}@bench.test`);
	const started = new Date(Date.now() - 7 * 86_400_000);
	const ids = db.transaction((tx) => {
		const ids = insertUsers(tx, emails, passwordHash, started);
		for (const userId of ids) {
			tx.insert(moduleProgress)
				.values(
					course.modules.map((m) => ({
						userId,
						courseSlug: course.slug,
						moduleSlug: m.slug,
						contentVersion: course.meta.version,
						completedAt: started
					}))
				)
				.run();
		}
		return ids;
	});
	const config = readConfig({});
	return ids.map((userId, i) => {
		const started = startAttempt(db, userId, course);
		if (!started.ok)
			throw new Error(`could not start an attempt for ${emails[i]}: ${started.reason}`);
		const attempt = findAttempt(db, userId, started.attemptId, course.slug)!;
		for (const s of drawAttempt(course.assessment, attempt.seed).scenarios) {
			for (const post of scenarioWalk(course, attempt.seed, s.question.id, true)) {
				const step = takeScenarioStep(db, userId, course, {
					attemptId: attempt.id,
					questionId: s.question.id,
					...post
				});
				if (!step.ok) throw new Error(`scenario step refused for ${emails[i]}: ${step.reason}`);
			}
		}
		const form = new URLSearchParams();
		for (const [id, positions] of answersFor(course, attempt.seed, true)) {
			for (const p of positions) form.append(`q-${id}`, String(p));
		}
		const { token } = createSession(db, config, userId, { staff: false });
		const cookie = `muster_session=${token}`;
		return { email: emails[i]!, userId, attemptId: attempt.id, cookie, body: form.toString() };
	});
}
