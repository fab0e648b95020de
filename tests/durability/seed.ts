// A temporary database of learners, each with writes left to make over HTTP: modules still to
// mark complete in one course, and a prepared attempt at `volunteer-onboarding` (unlimited
// attempts) whose scenarios are walked, so that one right submission completes the course.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAttempt, takeScenarioStep } from '../../src/lib/server/assessments/attempts';
import { drawAttempt } from '../../src/lib/server/assessments/draw';
import { closeDatabase, openDatabase } from '../../src/lib/server/db';
import { recordModuleComplete } from '../../src/lib/server/learning/progress';
import { createUser } from '../../src/lib/server/users';
import { answersFor, catalog, scenarioWalk } from '../fixtures/courses';

export const SUBMIT_COURSE = 'volunteer-onboarding';
export const PASSWORD = 'durability test passphrase';

export interface Learner {
	id: number;
	email: string;
	/** Set once signed in over HTTP. */
	token: string;
	attemptId: number;
	/** The urlencoded form that answers every drawn question right. */
	submitBody: string;
	/** Modules left to mark complete. */
	modules: { course: string; module: string }[];
}

export function tempDir(prefix: string): { dir: string; remove(): void } {
	const dir = mkdtempSync(join(tmpdir(), prefix));
	return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Creates `count` learners in a new database at `path`. Each has read every module of
 * volunteer-onboarding and walked its scenarios, and has `unread` modules of another course
 * left. The database is closed (checkpointed) when this returns.
 */
export async function seedLearners(path: string, count: number, unread = 3): Promise<Learner[]> {
	const { db } = openDatabase(path, { migrations: 'drizzle' });
	// Seeding is not what is under test: skip the fsync per transaction.
	db.$client.pragma('synchronous = OFF');
	const volunteer = catalog.bySlug.get(SUBMIT_COURSE)!;
	const others = catalog.courses.filter((c) => c.slug !== SUBMIT_COURSE);
	const ids = await Promise.all(
		Array.from({ length: count }, (_, i) =>
			createUser(db, {
				email: `learner${i}@durability.test`,
				name: `Learner ${i}`,
				password: PASSWORD
			})
		)
	);
	const learners = ids.map((id, i): Learner => {
		for (const m of volunteer.modules) recordModuleComplete(db, id, volunteer, m);
		const started = startAttempt(db, id, volunteer);
		if (!started.ok) throw new Error(`Could not start an attempt: ${started.reason}`);
		const attempt = db.$client
			.prepare('select seed from assessment_attempt where id = ?')
			.get(started.attemptId) as { seed: number };
		for (const s of drawAttempt(volunteer.assessment, attempt.seed).scenarios) {
			for (const step of scenarioWalk(volunteer, attempt.seed, s.question.id, true)) {
				const input = { attemptId: started.attemptId, questionId: s.question.id, ...step };
				const result = takeScenarioStep(db, id, volunteer, input);
				if (!result.ok) throw new Error(`Scenario step refused: ${result.reason}`);
			}
		}
		const form = new URLSearchParams();
		for (const [q, positions] of answersFor(volunteer, attempt.seed, true)) {
			for (const p of positions) form.append(`q-${q}`, String(p));
		}
		const other = others[i % others.length]!;
		const left = other.modules.slice(-unread);
		for (const m of other.modules.slice(0, -unread)) recordModuleComplete(db, id, other, m);
		return {
			id,
			email: `learner${i}@durability.test`,
			token: '',
			attemptId: started.attemptId,
			submitBody: form.toString(),
			modules: left.map((m) => ({ course: other.slug, module: m.slug }))
		};
	});
	closeDatabase(db);
	return learners;
}

/** A write the tests drive over HTTP, and how to recognise its acknowledgement. */
export interface Write {
	kind: 'complete' | 'submit';
	learner: Learner;
	path: string;
	body: string;
	module?: { course: string; module: string };
}

export function writesOf(learner: Learner): Write[] {
	return [
		...learner.modules.map((m): Write => ({
			kind: 'complete',
			learner,
			path: `/courses/${m.course}/${m.module}?/complete`,
			body: '',
			module: m
		})),
		{
			kind: 'submit',
			learner,
			path: `/courses/${SUBMIT_COURSE}/assessment/${learner.attemptId}?/submit`,
			body: learner.submitBody
		}
	];
}

/** A 303 to where the action sends a learner on success (never to /login). */
export function acknowledges(write: Write, status: number, location: string | null): boolean {
	if (status !== 303 || !location) return false;
	if (write.kind === 'submit') {
		return location === `/courses/${SUBMIT_COURSE}/assessment/${write.learner.attemptId}`;
	}
	return location.startsWith(`/courses/${write.module!.course}`);
}

export function shuffle<T>(items: T[]): T[] {
	const a = [...items];
	for (let i = a.length - 1; i > 0; i--) {
		const j = Math.floor(Math.random() * (i + 1));
		[a[i], a[j]] = [a[j]!, a[i]!];
	}
	return a;
}
