import type { CourseModule } from '../courses/catalog';

export type PresenterStep =
	| { kind: 'title'; heading: string; objectives: string[] }
	| { kind: 'scene'; heading: string; text: string }
	| { kind: 'rule'; heading: string; text: string }
	| { kind: 'steps'; heading: string; items: string[] }
	| { kind: 'discussion'; heading: string; text: string };

/**
 * The sections the presenter shows one at a time: the module's briefing (scene, rule, three
 * steps, a question for the room), or, for a module without one yet, its title and objectives
 * and the quick check's first prompt as the discussion question.
 */
export function presenterSteps(module: CourseModule): PresenterStep[] {
	const b = module.briefing;
	if (b) {
		return [
			{ kind: 'scene', heading: 'The scene', text: b.scene },
			{ kind: 'rule', heading: 'The rule', text: b.rule },
			{ kind: 'steps', heading: 'Three steps', items: [...b.steps] },
			{ kind: 'discussion', heading: 'Discussion', text: b.question }
		];
	}
	return [
		{ kind: 'title', heading: 'What this briefing covers', objectives: module.objectives },
		{ kind: 'discussion', heading: 'Discussion', text: module.check[0]?.prompt ?? module.title }
	];
}
