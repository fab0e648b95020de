import { createHash } from 'node:crypto';
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
	'rollcall-a',
	'rollcall-b',
	'rollcall-c',
	'consent',
	// Multi-factor sign-in: supervisors of a per-project organization (tests/e2e/mfa.spec.ts).
	'mfa-passkey',
	'mfa-totp',
	'mfa-enrol',
	'mfa-orgadmin',
	'pages',
	// Reads a module page byte for byte, compressed and not (tests/e2e/compression.spec.ts).
	'compression',
	'ui',
	'malformed'
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

/** A staff account with an organization of its own, which the fuzz test may post anything to. */
export const FUZZ_STAFF = 'fuzz-admin@e2e.muster.test';
export const FUZZ_ORG = 'fuzz-unit';
/**
 * Riverside officers for the roll-call tests, per project: they start with no progress, so what a
 * session records is all theirs (the demo officer is the journey's, which runs alongside).
 */
export function rollcallOfficer(which: 'a' | 'b' | 'c', project: string): string {
	return e2eAccount(`rollcall-${which}`, project);
}
export const ROLLCALL_OFFICERS = projects.flatMap((p) =>
	(['a', 'b', 'c'] as const).map((w) => rollcallOfficer(w, p))
);
/** A room of fifty Riverside officers who join one session at the same moment. */
export const CROWD = Array.from({ length: 50 }, (_, i) => `crowd-${i + 1}@e2e.muster.test`);

/** Each project's own organization for the MFA tests: the org admin may require MFA there. */
export function mfaOrg(project: string): string {
	return `mfa-${project}`;
}

/**
 * Instance administrators must use a second factor. The e2e server gives the demo admin an
 * authenticator app and a large set of recovery codes derived from this seed, and `signInAs`
 * spends an unused one, so the many tests that sign in as the admin run side by side.
 */
export const ADMIN_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
export const ADMIN_RECOVERY_CODES = 300;
export function adminRecoveryCode(i: number): string {
	const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
	const bytes = createHash('sha256').update(`e2e admin recovery ${i}`).digest();
	const chars = [...bytes.subarray(0, 16)].map((b) => alphabet[b % 32]).join('');
	return chars.match(/.{4}/g)!.join('-');
}
