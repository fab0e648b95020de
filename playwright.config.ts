import { defineConfig } from '@playwright/test';
import { E2E_DB, E2E_PORT } from './tests/e2e/accounts';

const port = E2E_PORT;
const baseURL = `http://localhost:${port}`;

// Debian's Chromium, never a downloaded browser; the flags keep it off the closed network.
const launchOptions = {
	executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
	args: [
		'--no-sandbox',
		'--disable-gpu',
		'--disable-background-networking',
		'--disable-component-update',
		'--disable-sync',
		'--no-first-run',
		'--disable-quic',
		'--disable-dev-shm-usage'
	]
};

export default defineConfig({
	testDir: 'tests/e2e',
	fullyParallel: false,
	workers: 2,
	retries: 0,
	forbidOnly: !!process.env.CI,
	reporter: process.env.CI ? 'list' : [['list']],
	timeout: 30_000,
	// Two cores run the server, two browsers and the tests: give assertions room on a busy machine.
	expect: { timeout: 10_000 },
	use: { baseURL, launchOptions, trace: 'retain-on-failure' },
	projects: [
		{ name: 'chromium', use: { browserName: 'chromium' } },
		{ name: 'no-js', use: { browserName: 'chromium', javaScriptEnabled: false } }
	],
	webServer: {
		// Seeds a fresh database (demo plus test accounts), then serves the production build.
		command: 'npx tsx tests/e2e/serve.ts',
		url: `${baseURL}/login`,
		reuseExistingServer: false,
		timeout: 60_000,
		stdout: 'ignore',
		stderr: 'pipe',
		env: {
			PORT: String(port),
			ORIGIN: baseURL,
			DATABASE_URL: E2E_DB,
			MUSTER_KEYS_DIR: `${E2E_DB}-keys`,
			MUSTER_DEMO: '0',
			BODY_SIZE_LIMIT: '5M',
			// Every e2e request comes from one address; the limiter itself is unit-tested.
			VERIFY_PER_MINUTE: '10000',
			// The same for the sign-in token bucket and the reset limit per address (the fuzz
			// test posts to the sign-in and reset forms); both are tested on their own servers.
			SIGNIN_BUCKET_SIZE: '100000',
			RESET_PER_ADDRESS_PER_HOUR: '100000',
			// Node closes idle keep-alive sockets after 5 s. A browser resends a request that
			// meets a socket closed at that very moment; Playwright's request client does not,
			// and the tests that post 50 requests at once reuse sockets that may be that old.
			KEEP_ALIVE_TIMEOUT: '30'
		}
	}
});
