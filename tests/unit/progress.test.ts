import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../src/lib/server/courses/catalog';
import { readCourseFiles } from '../../src/lib/server/courses/read-files';
import {
	completedModules,
	gradeQuickCheck,
	progressByCourse,
	recordModuleComplete,
	summarize
} from '../../src/lib/server/learning/progress';
import { makeUser, testDb } from '../fixtures/db';

const catalog = buildCatalog(readCourseFiles(process.cwd()));
const course = catalog.bySlug.get('roll-call')!;
const [m1, m2, m3] = course.modules;

describe('module progress', () => {
	it('records a completion once, however often it is submitted, with the content version', async () => {
		const db = testDb();
		const u = await makeUser(db);
		expect(recordModuleComplete(db, u.id, course, m1!)).toEqual({ recorded: true });
		expect(recordModuleComplete(db, u.id, course, m1!)).toEqual({ recorded: false });
		const rows = db.$client.prepare('select content_version as v from module_progress').all();
		expect(rows).toEqual([{ v: course.meta.version }]);
	});

	it('keeps what was read in an earlier version when the course is revised', async () => {
		const db = testDb();
		const u = await makeUser(db);
		recordModuleComplete(db, u.id, course, m1!);
		const revised = { ...course, meta: { ...course.meta, version: `${course.meta.version}-rev` } };
		expect(recordModuleComplete(db, u.id, revised, m1!)).toEqual({ recorded: true });
		const versions = db.$client
			.prepare('select content_version as v from module_progress order by id')
			.all();
		expect(versions).toEqual([{ v: course.meta.version }, { v: `${course.meta.version}-rev` }]);
		expect(completedModules(db, u.id, course.slug)).toEqual(new Set([m1!.slug]));
	});

	it('resumes at the first module not yet done, and keeps learners apart', async () => {
		const db = testDb();
		const a = await makeUser(db);
		const b = await makeUser(db);
		recordModuleComplete(db, a.id, course, m1!);
		recordModuleComplete(db, a.id, course, m2!);
		const p = summarize(course, completedModules(db, a.id, course.slug));
		expect(p.done).toBe(2);
		expect(p.next?.slug).toBe(m3!.slug);
		expect(summarize(course, completedModules(db, b.id, course.slug)).next?.slug).toBe(m1!.slug);
		expect(progressByCourse(db, a.id).get('roll-call')?.size).toBe(2);
		expect(progressByCourse(db, b.id).size).toBe(0);
	});
});

describe('quick checks', () => {
	it('grades on the server, explains the chosen option, and keeps every answer', async () => {
		const db = testDb();
		const u = await makeUser(db);
		const q = m1!.check[0]!;
		const right = q.options.findIndex((o) => o.correct);
		const wrong = right === 0 ? 1 : 0;
		const [bad] = gradeQuickCheck(db, u.id, course, m1!, new Map([[q.id, wrong]]));
		expect(bad).toMatchObject({
			correct: false,
			chosen: wrong,
			correctIndex: right,
			feedback: q.options[wrong]!.feedback
		});
		const [good] = gradeQuickCheck(db, u.id, course, m1!, new Map([[q.id, right]]));
		expect(good).toMatchObject({ correct: true, feedback: q.options[right]!.feedback });
		const rows = db.$client
			.prepare('select question_id as q, correct from check_answer order by id')
			.all();
		expect(rows).toEqual([
			{ q: q.id, correct: 0 },
			{ q: q.id, correct: 1 }
		]);
	});
});
