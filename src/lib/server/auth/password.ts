import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';

// OWASP's minimum for argon2id: 19 MiB of memory, 2 iterations, 1 lane.
const ARGON2 = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

const common = new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));
const contextWords = ['muster', 'password', 'trafficking', 'police', 'officer'];

export function hashPassword(password: string): Promise<string> {
	return hash(password, ARGON2);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password);
	} catch {
		return false;
	}
}

/** A hash of nothing in particular, checked against unknown emails so timing reveals nothing. */
let decoy: Promise<string> | undefined;
export async function verifyDecoy(password: string): Promise<void> {
	decoy ??= hashPassword('decoy password that is never correct');
	await verifyPassword(await decoy, password);
}

/**
 * NIST SP 800-63B style: a length floor, no composition rules, and a refusal of passwords
 * that appear in a list of common and breached passwords or are built from the account's
 * own details. Returns the message to show, or null when the password is acceptable.
 */
export function checkPasswordPolicy(password: string, context: string[] = []): string | null {
	if (password.length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters.`;
	if (password.length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
	const lower = password.toLowerCase();
	if (common.has(lower) || /^(.)\1+$/.test(password)) {
		return 'This password is too common: it appears in lists of breached passwords. Choose another.';
	}
	const stripped = lower.replace(/[^a-z]/g, '');
	const words = [...contextWords, ...context.flatMap((c) => c.toLowerCase().split(/[^a-z]+/))];
	if (words.some((w) => w.length >= 4 && stripped === w)) {
		return 'This password is too easy to guess from your account or this site. Choose another.';
	}
	return null;
}
