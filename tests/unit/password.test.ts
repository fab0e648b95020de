import { describe, expect, it } from 'vitest';
import {
	checkPasswordPolicy,
	hashPassword,
	verifyPassword
} from '../../src/lib/server/auth/password';

describe('password policy', () => {
	it('accepts a long passphrase without composition rules', () => {
		expect(checkPasswordPolicy('my dog walks at dawn')).toBeNull();
		expect(checkPasswordPolicy('lowercaseonly words')).toBeNull();
	});

	it('refuses short, common and breached-style passwords', () => {
		expect(checkPasswordPolicy('short')).toMatch(/at least 8/);
		expect(checkPasswordPolicy('password1')).toMatch(/too common/);
		expect(checkPasswordPolicy('Qwerty123')).toMatch(/too common/);
		expect(checkPasswordPolicy('aaaaaaaaaa')).toMatch(/too common/);
		expect(checkPasswordPolicy('x'.repeat(257))).toMatch(/at most/);
	});

	it('refuses a password made from the account itself', () => {
		expect(checkPasswordPolicy('whitfield2026', ['dana.whitfield@riverside.example'])).toMatch(
			/too easy/
		);
	});
});

describe('password hashing', () => {
	it('uses argon2id at or above the OWASP minimum (19 MiB, t=2)', async () => {
		const hash = await hashPassword('my dog walks at dawn');
		const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(hash);
		expect(m).not.toBeNull();
		expect(Number(m![1])).toBeGreaterThanOrEqual(19456);
		expect(Number(m![2])).toBeGreaterThanOrEqual(2);
		expect(await verifyPassword(hash, 'my dog walks at dawn')).toBe(true);
		expect(await verifyPassword(hash, 'my dog walks at dusk')).toBe(false);
		expect(await verifyPassword('not a hash', 'anything')).toBe(false);
	});
});
