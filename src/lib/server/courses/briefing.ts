import type { Assessment } from './assessment-schema.js';
import type { Problem } from './catalog.js';
import type { CheckQuestion } from './schema.js';

// A module's briefing is its "2-minute version": what a sergeant reads out at roll call and
// what the presenter view shows. It must stay short, and it must not give away the answers
// the module's quick check or the course's assessment ask for.

export interface Briefing {
	scene: string;
	rule: string;
	steps: [string, string, string];
	question: string;
}

export const BRIEFING_MAX_WORDS = 350;
/** A run of this many words copied from an answer counts as giving the answer away. */
export const LEAK_RUN = 6;

/** Names of agencies and lines: a briefing may name them freely, so they count as one word. */
const NAMES = [
	'U.S. Citizenship and Immigration Services',
	'Homeland Security Investigations',
	'Immigration and Customs Enforcement',
	'National Human Trafficking Hotline',
	'Department of Health and Human Services',
	'Victim Assistance Specialist',
	'Forensic Interview Specialist',
	'HSI Tip Line'
].map((n) => new RegExp(`\\b${n.replace(/[.]/g, '\\.').replace(/ /g, '\\s+')}s?\\b`, 'gi'));

export function words(text: string): string[] {
	let t = text;
	for (const re of NAMES) t = t.replace(re, (m) => m.replace(/[^A-Za-z]/g, ''));
	return t
		.toLowerCase()
		.replace(/[’']/g, '')
		.split(/[^a-z0-9]+/)
		.filter(Boolean);
}

export function briefingWordCount(b: Briefing): number {
	return [b.scene, b.rule, ...b.steps, b.question].reduce((n, t) => n + words(t).length, 0);
}

/** The texts a learner must pick to score: right quick-check options, keyed assessment
 * options, and each scenario step's best choice. */
export function answerTexts(
	check: CheckQuestion[],
	assessment: Assessment | undefined,
	moduleSlug: string
): { label: string; text: string }[] {
	const out = check.flatMap((q) =>
		q.options
			.filter((o) => o.correct)
			.map((o) => ({ label: `quick-check "${q.id}"`, text: o.text }))
	);
	for (const q of assessment?.questions ?? []) {
		if (q.module !== moduleSlug) continue;
		if (q.kind === 'scenario') {
			for (const s of q.steps) {
				const best = Math.max(...s.choices.map((c) => c.points));
				for (const c of s.choices)
					if (c.points === best && best > 0)
						out.push({ label: `assessment "${q.id}" step "${s.id}"`, text: c.text });
			}
		} else {
			for (const o of q.options)
				if (o.correct) out.push({ label: `assessment "${q.id}"`, text: o.text });
		}
	}
	return out;
}

function runs(ws: string[], n: number): Set<string> {
	const set = new Set<string>();
	for (let i = 0; i + n <= ws.length; i++) set.add(ws.slice(i, i + n).join(' '));
	return set;
}

/**
 * Problems with a briefing: too long, or holding an answer verbatim or nearly (any run of
 * LEAK_RUN words of an answer, ignoring case and punctuation; a shorter answer of three words
 * or more, whole).
 */
export function checkBriefing(
	file: string,
	b: Briefing,
	answers: { label: string; text: string }[]
): Problem[] {
	const problems: Problem[] = [];
	const count = briefingWordCount(b);
	if (count > BRIEFING_MAX_WORDS)
		problems.push({
			file,
			field: 'briefing',
			message: `is ${count} words; keep it to ${BRIEFING_MAX_WORDS} or fewer`
		});
	const fields: [string, string][] = [
		['briefing.scene', b.scene],
		['briefing.rule', b.rule],
		...b.steps.map((s, i): [string, string] => [`briefing.steps.${i}`, s]),
		['briefing.question', b.question]
	];
	// A word hyphenated at the end of a folded YAML line reads "co- workers" on the projector.
	for (const [field, text] of fields) {
		const broken = /\b[A-Za-z]+- (?!and\b|or\b|to\b)[a-z]+/.exec(text);
		if (broken)
			problems.push({
				file,
				field,
				message: `breaks a word at a line end ("${broken[0]}"); keep the hyphenated word on one line`
			});
	}
	for (const a of answers) {
		const aw = words(a.text);
		if (aw.length < 3) continue;
		const n = Math.min(LEAK_RUN, aw.length);
		const answerRuns = runs(aw, n);
		for (const [field, text] of fields) {
			const hit = [...runs(words(text), n)].find((r) => answerRuns.has(r));
			if (hit) {
				problems.push({
					file,
					field,
					message: `gives away the answer to ${a.label} ("${hit}…"); say the rule in other words`
				});
				break;
			}
		}
	}
	return problems;
}
