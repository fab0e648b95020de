import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { courseCatalog } from './src/lib/server/courses/vite-plugin.js';

export default defineConfig({
	plugins: [courseCatalog(), sveltekit()],
	test: {
		include: ['tests/unit/**/*.test.ts'],
		environment: 'node',
		testTimeout: 20_000
	}
});
