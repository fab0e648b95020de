export const DEMO_PASSWORD = 'muster-demo-2026';
export const E2E_PASSWORD = 'e2e test passphrase';

const projects = ['chromium', 'no-js'];
const roles = ['reset', 'lockout', 'disable', 'change'];

/** One account per role and browser project, so parallel tests never share mutable state. */
export function e2eAccount(role: string, project: string): string {
	return `${role}-${project}@e2e.muster.test`;
}

export const E2E_ACCOUNTS = projects.flatMap((p) => roles.map((r) => e2eAccount(r, p)));
