import type { DB } from '../db';
import { attemptAnswer } from '../db/schema';
import { eq } from 'drizzle-orm';
import type { Course } from '../courses';
import { drawAttempt } from './draw';
import { scenarioPosition } from './grade';
import { scenarioPaths } from './attempts';
import type { AttemptRow } from './eligibility';

// What an attempt page may show. Before submission: prompts, option texts and the scenario
// narrative only; feedback, points and right answers stay here until the rules allow them.

export interface ScenarioInProgress {
	id: string;
	title: string;
	prompt: string;
	taken: { situation: string; choice: string }[];
	step: { id: string; text: string; choices: string[] };
	number: number;
	of: number;
}

export interface QuestionForm {
	id: string;
	kind: 'single' | 'multiple';
	prompt: string;
	options: string[];
}

export type AttemptForm =
	| { stage: 'scenario'; scenario: ScenarioInProgress }
	| { stage: 'questions'; questions: QuestionForm[]; scenarioCount: number };

export function attemptForm(db: DB, course: Course, attempt: AttemptRow): AttemptForm {
	const draw = drawAttempt(course.assessment, attempt.seed);
	const paths = scenarioPaths(db, attempt.id);
	for (const [i, s] of draw.scenarios.entries()) {
		const path = paths.get(s.question.id) ?? [];
		const position = scenarioPosition(s.question, path);
		if ('end' in position) continue;
		const step = (id: string) => s.question.steps.find((x) => x.id === id)!;
		return {
			stage: 'scenario',
			scenario: {
				id: s.question.id,
				title: s.question.title,
				prompt: s.question.prompt,
				taken: path.map((p) => ({
					situation: step(p.stepId).text,
					choice: step(p.stepId).choices.find((c) => c.id === p.choiceId)!.text
				})),
				step: {
					id: position.step.id,
					text: position.step.text,
					choices: s.choiceOrder
						.get(position.step.id)!
						.map((id) => position.step.choices.find((c) => c.id === id)!.text)
				},
				number: i + 1,
				of: draw.scenarios.length
			}
		};
	}
	return {
		stage: 'questions',
		scenarioCount: draw.scenarios.length,
		questions: draw.questions.map((q) => ({
			id: q.question.id,
			kind: q.question.kind,
			prompt: q.question.prompt,
			options: q.optionOrder.map((id) => q.question.options.find((o) => o.id === id)!.text)
		}))
	};
}

export interface ResultOption {
	text: string;
	chosen: boolean;
	/** Only when the course's rules let the learner see right answers now. */
	correct?: boolean;
	feedback?: string;
}

export type ResultItem =
	| {
			kind: 'single' | 'multiple';
			id: string;
			prompt: string;
			right: boolean;
			options: ResultOption[];
	  }
	| {
			kind: 'scenario';
			id: string;
			title: string;
			prompt: string;
			earned: number;
			max: number;
			path: { situation: string; choice: string; feedback?: string; points?: number }[];
			end: string | null;
	  };

export interface AttemptResults {
	number: number;
	status: 'submitted' | 'timed_out';
	score: number;
	passed: boolean;
	passingScore: number;
	submittedAt: Date;
	answersShown: boolean;
	items: ResultItem[];
}

export function attemptResults(db: DB, course: Course, attempt: AttemptRow): AttemptResults {
	const draw = drawAttempt(course.assessment, attempt.seed);
	const answers = new Map(
		db
			.select()
			.from(attemptAnswer)
			.where(eq(attemptAnswer.attemptId, attempt.id))
			.all()
			.map((a) => [a.questionId, a])
	);
	const rule = course.assessment.showAnswers;
	const shown = rule === 'after-submit' || (rule === 'after-pass' && attempt.passed === true);
	const items: ResultItem[] = [];
	const paths = scenarioPaths(db, attempt.id);
	for (const s of draw.scenarios) {
		const a = answers.get(s.question.id);
		const path = paths.get(s.question.id) ?? [];
		const position = scenarioPosition(s.question, path);
		items.push({
			kind: 'scenario',
			id: s.question.id,
			title: s.question.title,
			prompt: s.question.prompt,
			earned: a?.earned ?? 0,
			max: a?.max ?? 0,
			path: path.map((p) => {
				const step = s.question.steps.find((x) => x.id === p.stepId)!;
				const choice = step.choices.find((c) => c.id === p.choiceId)!;
				return {
					situation: step.text,
					choice: choice.text,
					...(shown ? { feedback: choice.feedback, points: choice.points } : {})
				};
			}),
			end: 'end' in position ? position.end : null
		});
	}
	for (const q of draw.questions) {
		const a = answers.get(q.question.id);
		const chosen = new Set(a?.response ?? []);
		items.push({
			kind: q.question.kind,
			id: q.question.id,
			prompt: q.question.prompt,
			right: (a?.earned ?? 0) === 1,
			options: q.optionOrder.map((id) => {
				const o = q.question.options.find((x) => x.id === id)!;
				const showFeedback = shown && (chosen.has(id) || o.correct === true);
				return {
					text: o.text,
					chosen: chosen.has(id),
					...(shown ? { correct: o.correct === true } : {}),
					...(showFeedback ? { feedback: o.feedback } : {})
				};
			})
		});
	}
	return {
		number: attempt.number,
		status: attempt.status as 'submitted' | 'timed_out',
		score: attempt.score ?? 0,
		passed: attempt.passed ?? false,
		passingScore: course.meta.passingScore,
		submittedAt: attempt.submittedAt!,
		answersShown: shown,
		items
	};
}
