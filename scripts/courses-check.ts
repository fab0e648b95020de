// Checks every course in courses/ and names the file and field of each problem.
import { buildCatalog, CatalogError } from '../src/lib/server/courses/catalog';
import { readCourseFiles } from '../src/lib/server/courses/read-files';
import { BRIEFING_MAX_WORDS, briefingWordCount } from '../src/lib/server/courses/briefing';

try {
	const catalog = buildCatalog(readCourseFiles(process.cwd()));
	for (const c of catalog.courses) {
		const q = c.assessment.questions;
		const scenarios = q.filter((x) => x.kind === 'scenario').length;
		const longest = Math.max(...c.modules.map((m) => briefingWordCount(m.briefing)));
		console.info(
			`ok  ${c.slug} (version ${c.meta.version}): ${c.modules.length} modules, ${c.totalMinutes} minutes, ` +
				`${q.length - scenarios} questions and ${scenarios} scenarios; ` +
				`briefings up to ${longest} of ${BRIEFING_MAX_WORDS} words`
		);
	}
} catch (e) {
	if (e instanceof CatalogError) {
		console.error(e.message);
		process.exit(1);
	}
	throw e;
}
