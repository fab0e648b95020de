import type { CourseModule } from '../courses/catalog';

export type PresenterStep =
	| { kind: 'scene'; heading: string; text: string }
	| { kind: 'rule'; heading: string; text: string }
	| { kind: 'steps'; heading: string; items: string[] }
	| { kind: 'discussion'; heading: string; text: string };

/**
 * The sections the presenter shows one at a time: the module's briefing (scene, rule, three
 * steps, a question for the room). The catalog refuses a module without a briefing.
 */
export function presenterSteps(module: CourseModule): PresenterStep[] {
	const b = module.briefing;
	return [
		{ kind: 'scene', heading: 'The scene', text: b.scene },
		{ kind: 'rule', heading: 'The rule', text: b.rule },
		{ kind: 'steps', heading: 'Three steps', items: [...b.steps] },
		{ kind: 'discussion', heading: 'Discussion', text: b.question }
	];
}
