import { and, eq, isNull } from 'drizzle-orm';
import type { DB, Queryable } from '../db';
import { totpFactor } from '../db/schema';
import { recordAudit } from '../audit';
import { listFactors, releaseEnrolmentHold, removeFactor } from './factors';
import { addPasskey, type RelyingParty } from './passkey';
import { issueRecoveryCodes, recoveryCodesLeft } from './recovery';
import { matchStep, newTotpSecret, normalizeTotp } from './totp';

interface Who {
	userId: number;
	ip: string;
	now: Date;
}

/**
 * Audits a new factor, opens sessions held at enrolment, and issues recovery codes with the
 * first factor (returned in clear, once). Runs inside the transaction that added the factor.
 */
function enrolled(tx: Queryable, who: Who, kind: 'app' | 'passkey', id: number): string[] | null {
	releaseEnrolmentHold(tx, who.userId);
	recordAudit(tx, {
		action: 'mfa.enrol',
		outcome: 'success',
		actorId: who.userId,
		subjectType: kind === 'app' ? 'totp_factor' : 'passkey',
		subjectId: id,
		ip: who.ip,
		at: who.now
	});
	if (recoveryCodesLeft(tx, who.userId) > 0) return null;
	const codes = issueRecoveryCodes(tx, who.userId, who.now);
	recordAudit(tx, {
		action: 'mfa.recovery_codes_issued',
		outcome: 'success',
		actorId: who.userId,
		ip: who.ip,
		at: who.now,
		detail: { count: codes.length }
	});
	return codes;
}

/** Starts adding an authenticator app: a new secret to show (an earlier unconfirmed one ends). */
export function startApp(db: DB, userId: number, now: Date): void {
	db.transaction((tx) => {
		tx.update(totpFactor)
			.set({ removedAt: now })
			.where(
				and(
					eq(totpFactor.userId, userId),
					isNull(totpFactor.confirmedAt),
					isNull(totpFactor.removedAt)
				)
			)
			.run();
		tx.insert(totpFactor).values({ userId, secret: newTotpSecret(), createdAt: now }).run();
	});
}

export type ConfirmResult =
	{ ok: true; recoveryCodes: string[] | null } | { ok: false; message: string };

/** Confirms the app being added with a code it shows; that code's step counts as used. */
export function confirmApp(db: DB, who: Who, code: string): ConfirmResult {
	const pending = listFactors(db, who.userId).pendingApp;
	if (!pending) return { ok: false, message: 'Start again: choose "Add an authenticator app".' };
	const digits = normalizeTotp(code);
	const step = digits ? matchStep(pending.secret, digits, who.now, null) : null;
	if (step === null) {
		return {
			ok: false,
			message:
				'That code does not match. Check that the phone’s clock is right and enter the code the app shows now.'
		};
	}
	return db.transaction((tx) => {
		const confirmed = tx
			.update(totpFactor)
			.set({ confirmedAt: who.now, lastStep: step, lastUsedAt: who.now })
			.where(
				and(
					eq(totpFactor.id, pending.id),
					isNull(totpFactor.confirmedAt),
					isNull(totpFactor.removedAt)
				)
			)
			.run().changes;
		if (!confirmed) return { ok: false as const, message: 'This app was already added.' };
		return { ok: true as const, recoveryCodes: enrolled(tx, who, 'app', pending.id) };
	});
}

/** Verifies and stores a new passkey. */
export async function enrolPasskey(
	db: DB,
	rp: RelyingParty,
	who: Who & { sessionId: string; response: string; label: string }
): Promise<ConfirmResult> {
	const id = await addPasskey(db, rp, {
		userId: who.userId,
		sessionId: who.sessionId,
		response: who.response,
		label: who.label,
		now: who.now
	});
	if (id === null) {
		return {
			ok: false,
			message: 'The passkey could not be added (cancelled, timed out, or already added). Try again.'
		};
	}
	return db.transaction((tx) => ({
		ok: true as const,
		recoveryCodes: enrolled(tx, who, 'passkey', id)
	}));
}

export function removeFactorAudited(
	db: DB,
	who: Who,
	kind: 'app' | 'passkey',
	id: number
): { ok: true } | { ok: false; message: string } {
	return db.transaction((tx) => {
		const result = removeFactor(tx, who.userId, kind, id, who.now);
		recordAudit(tx, {
			action: 'mfa.remove',
			outcome: result.ok ? 'success' : 'denied',
			actorId: who.userId,
			subjectType: kind === 'app' ? 'totp_factor' : 'passkey',
			subjectId: id,
			ip: who.ip,
			at: who.now
		});
		return result;
	});
}

/** A new set of ten codes; the old set stops working. Only for accounts with a factor. */
export function renewRecoveryCodes(db: DB, who: Who): string[] | null {
	return db.transaction((tx) => {
		const f = listFactors(tx, who.userId);
		if (f.apps.length + f.passkeys.length === 0) return null;
		const codes = issueRecoveryCodes(tx, who.userId, who.now);
		recordAudit(tx, {
			action: 'mfa.recovery_codes_issued',
			outcome: 'success',
			actorId: who.userId,
			ip: who.ip,
			at: who.now,
			detail: { count: codes.length, replacedEarlierSet: true }
		});
		return codes;
	});
}
