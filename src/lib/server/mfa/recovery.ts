import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { and, count, eq, isNull } from 'drizzle-orm';
import type { Queryable } from '../db';
import { recoveryCode } from '../db/schema';

export const RECOVERY_CODE_COUNT = 10;

/** Lower-case, without the dashes and spaces people copy along with the code. */
export function normalizeRecoveryCode(code: string): string {
	return code.toLowerCase().replace(/[\s-]/g, '');
}

export function hashRecoveryCode(code: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(normalizeRecoveryCode(code))));
}

/** 80 random bits as 16 base32 characters, shown in four groups: `abcd-efgh-ijkl-mnop`. */
function newCode(): string {
	const bytes = new Uint8Array(10);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes).match(/.{4}/g)!.join('-');
}

/**
 * Revokes any earlier set and makes ten new codes. Returns them in clear: this is the only
 * time they exist outside the person's hands (only their hashes are stored).
 */
export function issueRecoveryCodes(db: Queryable, userId: number, now: Date): string[] {
	db.update(recoveryCode)
		.set({ revokedAt: now })
		.where(
			and(
				eq(recoveryCode.userId, userId),
				isNull(recoveryCode.usedAt),
				isNull(recoveryCode.revokedAt)
			)
		)
		.run();
	const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newCode);
	db.insert(recoveryCode)
		.values(codes.map((c) => ({ userId, codeHash: hashRecoveryCode(c), createdAt: now })))
		.run();
	return codes;
}

/** Spends a code: true once for each issued code, then never again. */
export function useRecoveryCode(db: Queryable, userId: number, code: string, now: Date): boolean {
	const normalized = normalizeRecoveryCode(code);
	if (!/^[a-z2-7]{16}$/.test(normalized)) return false;
	return (
		db
			.update(recoveryCode)
			.set({ usedAt: now })
			.where(
				and(
					eq(recoveryCode.userId, userId),
					eq(recoveryCode.codeHash, hashRecoveryCode(normalized)),
					isNull(recoveryCode.usedAt),
					isNull(recoveryCode.revokedAt)
				)
			)
			.run().changes === 1
	);
}

export function recoveryCodesLeft(db: Queryable, userId: number): number {
	return (
		db
			.select({ n: count() })
			.from(recoveryCode)
			.where(
				and(
					eq(recoveryCode.userId, userId),
					isNull(recoveryCode.usedAt),
					isNull(recoveryCode.revokedAt)
				)
			)
			.get()?.n ?? 0
	);
}

export function revokeRecoveryCodes(db: Queryable, userId: number, now: Date): void {
	db.update(recoveryCode)
		.set({ revokedAt: now })
		.where(
			and(
				eq(recoveryCode.userId, userId),
				isNull(recoveryCode.usedAt),
				isNull(recoveryCode.revokedAt)
			)
		)
		.run();
}
