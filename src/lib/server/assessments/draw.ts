import type { Assessment, Question, ScenarioQuestion } from '../courses/assessment-schema';

type Choice = Exclude<Question, ScenarioQuestion>;

/**
 * mulberry32: a small, well-distributed PRNG, so an attempt's seed reproduces its draw exactly
 * (also the seeded randomness of tests and the benchmark's data).
 */
export function rng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
	const out = [...items];
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[out[i], out[j]] = [out[j]!, out[i]!];
	}
	return out;
}

export interface DrawnQuestion {
	question: Choice;
	/** Option ids in the order shown; the form posts positions in this list, never ids. */
	optionOrder: string[];
}

export interface DrawnScenario {
	question: ScenarioQuestion;
	/** For each step, choice ids in the order shown. */
	choiceOrder: Map<string, string[]>;
}

export interface Draw {
	scenarios: DrawnScenario[];
	questions: DrawnQuestion[];
}

/**
 * The attempt a seed draws: every scenario (in authored order, choices shuffled), then `draw`
 * questions from the single and multiple pool in a shuffled order with shuffled options.
 */
export function drawAttempt(assessment: Assessment, seed: number): Draw {
	const random = rng(seed);
	const pool = assessment.questions.filter((q): q is Choice => q.kind !== 'scenario');
	const picked = shuffle(pool, random).slice(0, assessment.draw ?? pool.length);
	const questions = picked.map((question) => ({
		question,
		optionOrder: shuffle(
			question.options.map((o) => o.id),
			random
		)
	}));
	const scenarios = assessment.questions
		.filter((q): q is ScenarioQuestion => q.kind === 'scenario')
		.map((question) => ({
			question,
			choiceOrder: new Map(
				question.steps.map((s) => [
					s.id,
					shuffle(
						s.choices.map((c) => c.id),
						random
					)
				])
			)
		}));
	return { scenarios, questions };
}

export function newSeed(): number {
	return crypto.getRandomValues(new Uint32Array(1))[0]!;
}
