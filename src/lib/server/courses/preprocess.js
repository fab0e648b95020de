// Course files are Markdown for authors who are not programmers: they use the content
// components without importing them. This preprocessor adds the import to every course file
// before mdsvex compiles it. Plain JavaScript, because svelte.config.js loads it directly.

const COURSE_FILE = /[\\/]courses[\\/].+\.md$/;
const IMPORT =
	"<script>\n\timport { Agency, Callout, Hotline, Indicators, WhatWouldYouDo } from '$lib/content';\n</script>\n";

/** @returns {import('svelte/compiler').PreprocessorGroup} */
export function coursePreprocess() {
	return {
		name: 'muster-course-components',
		markup({ content, filename }) {
			if (!filename || !COURSE_FILE.test(filename)) return;
			const frontmatter = /^---\r?\n[\s\S]*?\r?\n---\r?\n/.exec(content);
			const at = frontmatter ? frontmatter[0].length : 0;
			return { code: content.slice(0, at) + IMPORT + content.slice(at) };
		}
	};
}
