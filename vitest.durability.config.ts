import { defineConfig } from 'vitest/config';

// The durability tests start the production build (build/) as a child process: run them after
// `npm run build`, one file at a time so that their servers do not compete for the CPU.
export default defineConfig({
	test: {
		include: ['tests/durability/**/*.test.ts'],
		environment: 'node',
		fileParallelism: false,
		testTimeout: 90_000,
		hookTimeout: 60_000
	}
});
