import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const DEMO_PASSWORD = 'muster-demo-2026';
export const E2E_PASSWORD = 'e2e test passphrase';

const projects = ['chromium', 'no-js'];
const roles = [
	'reset',
	'lockout',
	'disable',
	'change',
	'learner',
	'courses',
	'concurrent',
	'pages',
	'ui'
];

/** One account per role and browser project, so parallel tests never share mutable state. */
export function e2eAccount(role: string, project: string): string {
	return `${role}-${project}@e2e.muster.test`;
}

/**
 * The learner whose story a project follows: the demo officer in the JavaScript project, and an
 * account of its own in the no-JavaScript project (the two run side by side on one database).
 */
export function journeyLearner(project: string): { email: string; password: string } {
	return project === 'chromium'
		? { email: 'officer@riverside.muster.test', password: DEMO_PASSWORD }
		: { email: e2eAccount('learner', project), password: E2E_PASSWORD };
}

export const E2E_PORT = Number(process.env.E2E_PORT ?? 4173);
/** The database the end-to-end server runs on; tests read it to check what was recorded. */
export const E2E_DB = join(tmpdir(), `muster-e2e-${E2E_PORT}.db`);

export const E2E_ACCOUNTS = projects.flatMap((p) => roles.map((r) => e2eAccount(r, p)));
