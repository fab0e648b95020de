import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { assessmentSchema, type Assessment } from './assessment-schema.js';
import {
	courseSchema,
	moduleSchema,
	SOURCES,
	type CheckQuestion,
	type CourseMeta,
	type Reference,
	type SourceId
} from './schema.js';
import { checkBody } from './lesson-body.js';
import { answerTexts, checkBriefing, type Briefing } from './briefing.js';

// Reads the whole course catalog from a map of file paths ("courses/01-roll-call/course.md")
// to their text, validates every file, and either returns the catalog or throws one error
// naming each problem's file and field. Pure: the build, `npm run courses:check`, the server
// and the tests all feed it files their own way.

export interface CourseModule {
	slug: string;
	file: string;
	title: string;
	minutes: number;
	objectives: string[];
	sources: { id: SourceId; title: string; publisher: string; date: string }[];
	/** Outside sources (statutes, regulations, agency fact sheets) beyond the seeds. */
	references: Reference[];
	reviewed: string;
	/** The 2-minute version: scene, the one rule, three steps, a question for the room. */
	briefing: Briefing;
	check: CheckQuestion[];
}

export interface Course {
	slug: string;
	dir: string;
	meta: CourseMeta;
	overviewFile: string;
	modules: CourseModule[];
	assessment: Assessment;
	totalMinutes: number;
}

export interface Catalog {
	courses: Course[];
	bySlug: Map<string, Course>;
}

export interface Problem {
	file: string;
	field: string;
	message: string;
}

export class CatalogError extends Error {
	constructor(public problems: Problem[]) {
		super(
			`The course catalog has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n` +
				problems.map((p) => `  ${p.file}: ${p.field}: ${p.message}`).join('\n')
		);
		this.name = 'CatalogError';
	}
}

const RESERVED_MODULE_SLUGS = new Set(['assessment', 'overview', 'certificate']);
const NUMBERED = /^(\d+)-([a-z0-9]+(?:-[a-z0-9]+)*)$/;

export function splitFrontmatter(
	text: string
): { data: unknown; body: string; bodyLine: number } | { error: string } {
	const m = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
	if (!m) return { error: 'the file must start with a settings block between two --- lines' };
	try {
		const data = parseYaml(m[1]!);
		return { data, body: text.slice(m[0].length), bodyLine: m[0].split('\n').length };
	} catch (e) {
		return {
			error: `the settings block is not valid YAML: ${(e as Error).message.split('\n')[0]}`
		};
	}
}

function zodProblems(file: string, error: z.ZodError): Problem[] {
	return error.issues.map((i) => ({
		file,
		field: i.path.length ? i.path.join('.') : '(settings)',
		message:
			i.code !== 'invalid_type'
				? i.message
				: /received undefined/.test(i.message)
					? 'is required'
					: `must be ${i.expected}${i.expected === 'string' ? ' (put text that looks like a number or date in quotes)' : ''}`
	}));
}

export function buildCatalog(files: Map<string, string>): Catalog {
	const problems: Problem[] = [];
	const dirs = new Map<string, string[]>();
	for (const path of [...files.keys()].sort()) {
		const m = /^courses\/([^/]+)\/([^/]+)$/.exec(path);
		if (!m) continue;
		const list = dirs.get(m[1]!) ?? [];
		list.push(m[2]!);
		dirs.set(m[1]!, list);
	}

	const courses: Course[] = [];
	const bySlug = new Map<string, Course>();
	for (const [dir, names] of dirs) {
		const base = `courses/${dir}`;
		const folder = NUMBERED.exec(dir);
		if (!folder) {
			problems.push({
				file: base,
				field: '(folder name)',
				message: 'name a course folder like 01-course-slug'
			});
			continue;
		}
		const slug = folder[2]!;
		const courseProblems: Problem[] = [];

		let meta: CourseMeta | undefined;
		const courseFile = `${base}/course.md`;
		if (!names.includes('course.md'))
			courseProblems.push({ file: courseFile, field: '(file)', message: 'is missing' });
		else {
			const fm = splitFrontmatter(files.get(courseFile)!);
			if ('error' in fm)
				courseProblems.push({ file: courseFile, field: '(settings)', message: fm.error });
			else {
				const parsed = courseSchema.safeParse(fm.data);
				if (parsed.success) meta = parsed.data;
				else courseProblems.push(...zodProblems(courseFile, parsed.error));
				courseProblems.push(
					...checkBody(courseFile, fm.body, fm.bodyLine).filter((p) => p.field !== '(body)')
				);
			}
		}

		const modules: CourseModule[] = [];
		for (const name of names) {
			if (name === 'course.md' || name === 'assessment.yaml' || name === 'README.md') continue;
			const file = `${base}/${name}`;
			const numbered = /^(\d+)-(.+)\.md$/.exec(name);
			const moduleSlug = numbered ? NUMBERED.exec(`${numbered[1]}-${numbered[2]}`)?.[2] : undefined;
			if (!numbered || !moduleSlug) {
				courseProblems.push({
					file,
					field: '(file name)',
					message: 'name a module file like 01-module-slug.md (or remove the file)'
				});
				continue;
			}
			if (RESERVED_MODULE_SLUGS.has(moduleSlug)) {
				courseProblems.push({
					file,
					field: '(file name)',
					message: `"${moduleSlug}" is reserved; choose another module name`
				});
				continue;
			}
			if (modules.some((m) => m.slug === moduleSlug)) {
				courseProblems.push({
					file,
					field: '(file name)',
					message: `duplicate module slug "${moduleSlug}" in this course`
				});
				continue;
			}
			const fm = splitFrontmatter(files.get(file)!);
			if ('error' in fm) {
				courseProblems.push({ file, field: '(settings)', message: fm.error });
				continue;
			}
			const parsed = moduleSchema.safeParse(fm.data);
			courseProblems.push(...checkBody(file, fm.body, fm.bodyLine));
			if (!parsed.success) {
				courseProblems.push(...zodProblems(file, parsed.error));
				continue;
			}
			const ids = parsed.data.check.map((q) => q.id);
			if (new Set(ids).size !== ids.length)
				courseProblems.push({ file, field: 'check', message: 'quick-check ids must be unique' });
			modules.push({
				slug: moduleSlug,
				file,
				title: parsed.data.title,
				minutes: parsed.data.minutes,
				objectives: parsed.data.objectives,
				sources: parsed.data.sources.map((id) => ({
					id: id as SourceId,
					...SOURCES[id as SourceId]
				})),
				references: parsed.data.references ?? [],
				reviewed: parsed.data.reviewed,
				briefing: parsed.data.briefing,
				check: parsed.data.check
			});
		}
		if (modules.length === 0 && !courseProblems.some((p) => p.field === '(file name)')) {
			courseProblems.push({ file: base, field: '(modules)', message: 'the course has no modules' });
		}

		let assessment: Assessment | undefined;
		const assessmentFile = `${base}/assessment.yaml`;
		if (!names.includes('assessment.yaml'))
			courseProblems.push({ file: assessmentFile, field: '(file)', message: 'is missing' });
		else {
			let data: unknown;
			try {
				data = parseYaml(files.get(assessmentFile)!);
			} catch (e) {
				courseProblems.push({
					file: assessmentFile,
					field: '(file)',
					message: `not valid YAML: ${(e as Error).message.split('\n')[0]}`
				});
			}
			if (data !== undefined) {
				const parsed = assessmentSchema.safeParse(data);
				if (!parsed.success) courseProblems.push(...zodProblems(assessmentFile, parsed.error));
				else {
					assessment = parsed.data;
					const known = new Set(modules.map((m) => m.slug));
					assessment.questions.forEach((q, i) => {
						if (!known.has(q.module)) {
							courseProblems.push({
								file: assessmentFile,
								field: `questions.${i}.module`,
								message: `no module "${q.module}" in this course`
							});
						}
					});
					for (const m of modules) {
						if (!assessment.questions.some((q) => q.module === m.slug)) {
							courseProblems.push({
								file: assessmentFile,
								field: 'questions',
								message: `no question tests the module "${m.slug}"`
							});
						}
					}
				}
			}
		}

		for (const m of modules)
			courseProblems.push(
				...checkBriefing(m.file, m.briefing, answerTexts(m.check, assessment, m.slug))
			);

		if (bySlug.has(slug)) {
			courseProblems.push({
				file: base,
				field: '(folder name)',
				message: `duplicate course slug "${slug}" (also ${bySlug.get(slug)!.dir})`
			});
		}
		problems.push(...courseProblems);
		if (courseProblems.length === 0 && meta && assessment) {
			const course: Course = {
				slug,
				dir: base,
				meta,
				overviewFile: courseFile,
				modules,
				assessment,
				totalMinutes: modules.reduce((t, m) => t + m.minutes, 0)
			};
			courses.push(course);
			bySlug.set(slug, course);
		}
	}
	if (dirs.size === 0)
		problems.push({ file: 'courses', field: '(folder)', message: 'there are no courses' });
	if (problems.length) throw new CatalogError(problems);
	return { courses, bySlug };
}
