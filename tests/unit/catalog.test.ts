import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCatalog, CatalogError } from '../../src/lib/server/courses/catalog';
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

	it('uses only the phone numbers and form names the sources give', () => {
		// Every number in the seed documents; a course may use no other.
		const allowed = new Set([
			'1-866-347-2423',
			'866-347-2423',
			'802-872-6199',
			'802-527-4888',
			'1-888-373-7888',
			'1-888-428-7581',
			'1-800-375-5283'
		]);
		for (const [file, text] of real) {
			for (const m of text.matchAll(/\b(?:1-)?\d{3}-\d{3}-\d{4}\b/g)) {
				expect(allowed.has(m[0]), `${file} has the unknown number ${m[0]}`).toBe(true);
			}
			for (const m of text.matchAll(/Form I-\d+[A-Z]?(?: Supplement [A-Z])?/g)) {
				expect(
					['Form I-914 Supplement B', 'Form I-918 Supplement B'],
					`${file}: ${m[0]}`
				).toContain(m[0]);
			}
		}
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
