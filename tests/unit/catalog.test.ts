import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCatalog, CatalogError } from '../../src/lib/server/courses/catalog';
import {
	answerTexts,
	briefingWordCount,
	checkBriefing
} from '../../src/lib/server/courses/briefing';
import { readCourseFiles } from '../../src/lib/server/courses/read-files';
import { courseCatalog } from '../../src/lib/server/courses/vite-plugin';

const real = readCourseFiles(process.cwd());

/** The problems buildCatalog reports for a changed copy of the real courses. */
function problemsAfter(change: (files: Map<string, string>) => void): string[] {
	const files = new Map(real);
	change(files);
	try {
		buildCatalog(files);
	} catch (e) {
		if (e instanceof CatalogError)
			return e.problems.map((p) => `${p.file}: ${p.field}: ${p.message}`);
		throw e;
	}
	return [];
}

const MODULE = 'courses/01-roll-call/02-first-contact.md';
const REFERENCE_CARD = 'src/routes/(public)/reference/+page.svelte';

/**
 * Every phone number and form name in the five seed documents (shared/seeds). A course may
 * use these, and otherwise only what an outside source listed in a module's `references`
 * gives (`facts`): a module's own sources, or any module's in the same course for the
 * course's overview and assessment; the reference card may use any module's.
 */
const SEED_NUMBERS = [
	'1-866-347-2423',
	'866-347-2423',
	'802-872-6199',
	'802-527-4888',
	'1-888-373-7888',
	'1-888-428-7581',
	'1-800-375-5283'
];
const SEED_FORMS = ['Form I-914 Supplement B'];

function unknownFacts(files: Map<string, string>, ...extraFiles: string[]): string[] {
	const catalog = buildCatalog(files);
	const facts = (mods: { references: { facts?: string[] }[] }[]) =>
		new Set([
			...SEED_NUMBERS,
			...SEED_FORMS,
			...mods.flatMap((m) => m.references.flatMap((r) => r.facts ?? []))
		]);
	const everywhere = facts(catalog.courses.flatMap((c) => c.modules));
	const texts = [...files].concat(
		extraFiles.map((f) => [f, readFileSync(f, 'utf8')] as [string, string])
	);
	const problems: string[] = [];
	for (const [file, text] of texts) {
		const course = catalog.courses.find((c) => file.startsWith(`${c.dir}/`));
		const module = course?.modules.find((m) => m.file === file);
		const allowed = module ? facts([module]) : course ? facts(course.modules) : everywhere;
		// The frontmatter's references block states the facts; check the rest of the file.
		const body = text.replace(/^references:\n(?: {2,}.*\n)*/m, '');
		for (const m of body.matchAll(/\b(?:1-)?\d{3}-\d{3}-\d{4}\b/g))
			if (!allowed.has(m[0])) problems.push(`${file}: ${m[0]}`);
		for (const m of body.matchAll(/Form I-\d+[A-Z]?(?: Supplement [A-Z])?/g))
			if (!allowed.has(m[0])) problems.push(`${file}: ${m[0]}`);
	}
	return problems;
}
const edit = (files: Map<string, string>, path: string, fn: (s: string) => string) =>
	files.set(path, fn(files.get(path)!));

describe('the course catalog', () => {
	it('holds the four courses, each valid, in folder order', () => {
		const catalog = buildCatalog(real);
		expect(catalog.courses.map((c) => c.slug)).toEqual([
			'roll-call',
			'campus-guide',
			'victim-centered-interviewing',
			'volunteer-onboarding'
		]);
		const rollCall = catalog.bySlug.get('roll-call')!;
		expect(rollCall.modules.length).toBeGreaterThanOrEqual(6);
		for (const course of catalog.courses) {
			for (const m of course.modules) {
				expect(m.minutes, m.file).toBeGreaterThanOrEqual(5);
				expect(m.minutes, m.file).toBeLessThanOrEqual(10);
				expect(m.check.length, m.file).toBeGreaterThanOrEqual(1);
				expect(m.sources.length, m.file).toBeGreaterThanOrEqual(1);
			}
		}
	});

	it('uses only the phone numbers and form names the seeds or a listed outside source give', () => {
		expect(unknownFacts(real, REFERENCE_CARD)).toEqual([]);
	});

	it('refuses a phone number or form name that no seed and no listed source gives', () => {
		const file = 'courses/01-roll-call/06-who-to-call.md';
		const withNumber = new Map(real);
		edit(withNumber, file, (s) =>
			s.replace('## The scene', 'Call 1-202-555-0100.\n\n## The scene')
		);
		expect(unknownFacts(withNumber)).toContain(`${file}: 1-202-555-0100`);
		// The same number is accepted once the module lists an outside source that gives it.
		edit(withNumber, file, (s) =>
			s.replace(
				/^reviewed:/m,
				'references:\n  - title: A state fact sheet\n    facts:\n      - 1-202-555-0100\nreviewed:'
			)
		);
		expect(unknownFacts(withNumber)).toEqual([]);
		// A form the seeds never name needs a listed source too (I-918 Supplement B rests on 8 CFR 214.14).
		const noSource = new Map(real);
		edit(noSource, 'courses/01-roll-call/05-declarations-and-certifications.md', (s) =>
			s.replace(/^ {6}- Form I-918 Supplement B\n/m, '').replace(/^ {4}facts:\n(?! {6}-)/m, '')
		);
		expect(unknownFacts(noSource).some((p) => p.endsWith(': Form I-918 Supplement B'))).toBe(true);
	});

	it('no longer cites the pre-2024 T visa regulation 8 C.F.R. 214.11(f)', () => {
		const texts = [...real].concat([[REFERENCE_CARD, readFileSync(REFERENCE_CARD, 'utf8')]]);
		for (const [file, text] of texts) {
			expect(text, file).not.toMatch(/214\.11\s*\(f\)/);
		}
	});

	it('marks every module reviewed on or after the December 2026 review, in a new course version', () => {
		const catalog = buildCatalog(real);
		for (const course of catalog.courses) {
			expect(course.meta.version, course.dir).not.toBe('2026.1');
			for (const m of course.modules) expect(m.reviewed >= '2026-12-01', m.file).toBe(true);
		}
	});

	it('gives every module a briefing of at most 350 words that holds no answer', () => {
		const catalog = buildCatalog(real);
		for (const course of catalog.courses) {
			for (const m of course.modules) {
				expect(m.briefing.steps, m.file).toHaveLength(3);
				expect(briefingWordCount(m.briefing), m.file).toBeLessThanOrEqual(350);
				expect(
					checkBriefing(m.file, m.briefing, answerTexts(m.check, course.assessment, m.slug))
				).toEqual([]);
			}
		}
	});

	it('refuses a module without a briefing, with two steps, or too long', () => {
		const missing = problemsAfter((f) =>
			edit(f, MODULE, (s) => s.replace(/^briefing:\n(?: {2}.*\n)*/m, ''))
		);
		expect(missing).toContain(`${MODULE}: briefing: is required`);
		const twoSteps = problemsAfter((f) =>
			edit(f, MODULE, (s) => s.replace(/^ {4}- >-\n {6}Get an independent.*\n(?: {6}.*\n)*/m, ''))
		);
		expect(twoSteps).toContain(`${MODULE}: briefing.steps: needs exactly three steps`);
		const long = problemsAfter((f) =>
			edit(f, MODULE, (s) =>
				s.replace(/^ {2}scene: >-\n/m, `  scene: >-\n    ${'word '.repeat(250)}\n`)
			)
		);
		expect(long.some((p) => p.startsWith(`${MODULE}: briefing: is `) && p.includes('350'))).toBe(
			true
		);
	});

	it('refuses a briefing with a word broken at a folded line end ("co- workers")', () => {
		const broken = problemsAfter((f) =>
			edit(f, MODULE, (s) =>
				s.replace(/^ {2}scene: >-\n/m, `  scene: >-\n    A man and six co-\n    workers wait.\n`)
			)
		);
		expect(broken.some((p) => p.startsWith(`${MODULE}: briefing.scene: breaks a word`))).toBe(true);
	});

	it('refuses a briefing that gives away a quick-check or assessment answer, even reworded slightly', () => {
		// The right quick-check option of first-contact, pasted into the briefing's rule...
		const pasted = problemsAfter((f) =>
			edit(f, MODULE, (s) =>
				s.replace(
					/^ {2}rule: >-\n(?: {4}.*\n)*/m,
					'  rule: Thank him, decline, and get an interpreter through your agency who has no connection to anyone at the scene.\n'
				)
			)
		);
		expect(
			pasted.some((p) =>
				p.startsWith(`${MODULE}: briefing.rule: gives away the answer to quick-check "interpreter"`)
			)
		).toBe(true);
		// A wrong option may be discussed in the room; it is not an answer.
		const nearly = problemsAfter((f) =>
			edit(f, MODULE, (s) =>
				s.replace(
					/^ {4}- >-\n {6}Separate them.*\n(?: {6}.*\n)*/m,
					'    - "DO A FULL, DETAILED interview now -- while her memory is fresh!"\n'
				)
			)
		);
		expect(nearly.some((p) => p.startsWith(`${MODULE}: briefing.steps.0: gives away`))).toBe(false);
		// A keyed answer with its case and punctuation changed is still caught.
		const keyed = problemsAfter((f) =>
			edit(f, MODULE, (s) =>
				s.replace(
					/^ {4}- >-\n {6}Separate them.*\n(?: {6}.*\n)*/m,
					'    - "FOLLOW your agency\'s protocol -- to notify your supervisor!"\n'
				)
			)
		);
		expect(
			keyed.some((p) =>
				p.startsWith(
					`${MODULE}: briefing.steps.0: gives away the answer to quick-check "next-call"`
				)
			)
		).toBe(true);
		// Naming an agency is not an answer: "U.S. Citizenship and Immigration Services" alone passes.
		expect(
			checkBriefing(
				MODULE,
				{
					scene: 'x',
					rule: 'Only U.S. Citizenship and Immigration Services decides.',
					steps: ['a', 'b', 'c'],
					question: 'q'
				},
				[
					{
						label: 'q',
						text: 'Tell her U.S. Citizenship and Immigration Services decides on status.'
					}
				]
			)
		).toEqual([]);
	});

	it('names the file and field of a missing field', () => {
		const problems = problemsAfter((f) => edit(f, MODULE, (s) => s.replace(/^minutes: .*\n/m, '')));
		expect(problems).toContain(`${MODULE}: minutes: is required`);
	});

	it('names the file and field of a wrong type', () => {
		const file = 'courses/01-roll-call/course.md';
		const problems = problemsAfter((f) =>
			edit(f, file, (s) => s.replace(/^creditHours: .*$/m, 'creditHours: one and a half'))
		);
		expect(problems).toContain(`${file}: creditHours: must be number`);
	});

	it('names the file and line of an unknown component', () => {
		const problems = problemsAfter((f) =>
			edit(f, MODULE, (s) => s.replace('## What to do', '<Sidebar title="x">\n\n## What to do'))
		);
		expect(
			problems.some(
				(p) => p.startsWith(`${MODULE}: line `) && p.includes('unknown component <Sidebar>')
			)
		).toBe(true);
	});

	it('accepts <Agency> only with a field an agency can fill in', () => {
		const problems = problemsAfter((f) =>
			edit(f, MODULE, (s) =>
				s.replace('## What to do', '<Agency field="chiefsPhone" />\n\n## What to do')
			)
		);
		expect(
			problems.some(
				(p) => p.startsWith(`${MODULE}: line `) && p.includes('<Agency> field must be one of')
			)
		).toBe(true);
		// The courses use it where they used to say only "follow your agency's protocol".
		const uses = [...real.values()].join('\n').match(/<Agency field="/g) ?? [];
		expect(uses.length).toBeGreaterThanOrEqual(15);
	});

	it('refuses a duplicate course slug', () => {
		const problems = problemsAfter((f) => {
			for (const [path, text] of real) {
				if (path.startsWith('courses/01-roll-call/'))
					f.set(path.replace('01-roll-call', '09-roll-call'), text);
			}
		});
		expect(problems).toContain(
			'courses/09-roll-call: (folder name): duplicate course slug "roll-call" (also courses/01-roll-call)'
		);
	});

	it('refuses a duplicate module slug', () => {
		const problems = problemsAfter((f) =>
			f.set('courses/01-roll-call/07-first-contact.md', real.get(MODULE)!)
		);
		expect(problems).toContain(
			'courses/01-roll-call/07-first-contact.md: (file name): duplicate module slug "first-contact" in this course'
		);
	});

	it('refuses an empty module', () => {
		const problems = problemsAfter((f) =>
			edit(f, MODULE, (s) => s.slice(0, s.indexOf('\n---\n', 4) + 5))
		);
		expect(problems).toContain(`${MODULE}: (body): the lesson text is empty`);
	});

	it('refuses a quick check without exactly one right answer, and curly braces in text', () => {
		const problems = problemsAfter((f) =>
			edit(f, MODULE, (s) =>
				s
					.replace(/correct: true/g, 'correct: false')
					.replace('## What to do', '## What to do {now}')
			)
		);
		expect(problems).toContain(
			`${MODULE}: check.0.options: needs exactly one option with correct: true`
		);
		expect(
			problems.some((p) => p.startsWith(`${MODULE}: line `) && p.includes('curly braces'))
		).toBe(true);
	});

	it('refuses a scenario step that cannot be reached or loops, and an untested module', () => {
		const file = 'courses/04-volunteer-onboarding/assessment.yaml';
		const problems = problemsAfter((f) =>
			edit(f, file, (s) => s.replace(/module: hotlines/g, 'module: the-ngo-role'))
		);
		expect(problems).toContain(`${file}: questions: no question tests the module "hotlines"`);
	});

	it('fails the build: the Vite plugin throws with the file and field named', () => {
		const root = mkdtempSync(join(tmpdir(), 'muster-courses-'));
		try {
			for (const [path, text] of real) {
				mkdirSync(dirname(join(root, path)), { recursive: true });
				writeFileSync(join(root, path), path === MODULE ? text.replace(/^title: .*\n/m, '') : text);
			}
			const plugin = courseCatalog(root);
			const buildStart = plugin.buildStart as () => void;
			expect(() => buildStart()).toThrow(`${MODULE}: title: is required`);
		} finally {
			rmSync(root, { recursive: true, force: true });
		}
	});
});
