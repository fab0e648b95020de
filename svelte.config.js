import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { mdsvex } from 'mdsvex';
import { coursePreprocess } from './src/lib/server/courses/preprocess.js';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	extensions: ['.svelte', '.md'],
	preprocess: [
		coursePreprocess(),
		mdsvex({
			extensions: ['.md'],
			smartypants: { dashes: 'oldschool' },
			// The server reads course settings (and quick-check answers) from the raw files;
			// compiled lesson components carry none of it to the browser.
			frontmatter: { marker: '-', type: 'yaml', parse: () => ({}) }
		}),
		vitePreprocess()
	],
	kit: {
		adapter: adapter({ precompress: true }),
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
