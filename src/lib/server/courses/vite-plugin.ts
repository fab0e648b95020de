import type { Plugin } from 'vite';
import { buildCatalog } from './catalog.js';
import { readCourseFiles } from './read-files.js';

/** Fails the build, naming file and field, when any course in courses/ has a mistake. */
export function courseCatalog(root = process.cwd()): Plugin {
	return {
		name: 'muster-course-catalog',
		buildStart() {
			buildCatalog(readCourseFiles(root));
		}
	};
}
