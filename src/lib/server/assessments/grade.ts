import {
	scenarioMaxPoints,
	type Question,
	type ScenarioQuestion
} from '../courses/assessment-schema';

export interface Graded {
	earned: number;
	max: number;
}

/** Single: the one right option. Multiple: exactly the right set, all or nothing (as learners are told). */
export function gradeChoice(
	question: Exclude<Question, ScenarioQuestion>,
	chosen: string[]
): Graded {
	const right = question.options.filter((o) => o.correct).map((o) => o.id);
	const exact = chosen.length === right.length && right.every((id) => chosen.includes(id));
	return { earned: exact ? 1 : 0, max: 1 };
}

export interface PathStep {
	stepId: string;
	choiceId: string;
}

/** A scenario earns the points of the path taken, out of the best path's points. */
export function gradeScenario(question: ScenarioQuestion, path: PathStep[]): Graded {
	let earned = 0;
	for (const p of path) {
		const choice = question.steps
			.find((s) => s.id === p.stepId)
			?.choices.find((c) => c.id === p.choiceId);
		earned += choice?.points ?? 0;
	}
	return { earned, max: scenarioMaxPoints(question) };
}

/** Where a scenario stands after the steps taken: the step to answer next, or the end reached. */
export function scenarioPosition(
	question: ScenarioQuestion,
	path: PathStep[]
): { step: ScenarioQuestion['steps'][number] } | { end: string } {
	let step = question.steps.find((s) => s.id === question.start)!;
	for (const p of path) {
		if (p.stepId !== step.id) break;
		const choice = step.choices.find((c) => c.id === p.choiceId);
		if (!choice) break;
		if (choice.end !== undefined) return { end: choice.end };
		step = question.steps.find((s) => s.id === choice.next)!;
	}
	return { step };
}

/** Whole percent, rounded down: 79.9 % is not a pass at 80. */
export function percent(earned: number, max: number): number {
	return max === 0 ? 0 : Math.floor((earned * 100) / max);
}
