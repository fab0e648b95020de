import { and, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import { publicOrigin } from '../public-origin';
import type { Config } from '../config';
import type { DB, Queryable } from '../db';
import { membership, organization, passkey, session, totpFactor, user } from '../db/schema';
import type { Mailer } from '../mail';
import { recoveryCodesLeft, revokeRecoveryCodes } from './recovery';

/** Whether the account has a second factor (an app or a passkey) to sign in with. */
export function hasMfa(db: Queryable, userId: number): boolean {
	const app = db
		.select({ id: totpFactor.id })
		.from(totpFactor)
		.where(
			and(
				eq(totpFactor.userId, userId),
				isNotNull(totpFactor.confirmedAt),
				isNull(totpFactor.removedAt)
			)
		)
		.get();
	if (app) return true;
	return (
		db
			.select({ id: passkey.id })
			.from(passkey)
			.where(and(eq(passkey.userId, userId), isNull(passkey.removedAt)))
			.get() !== undefined
	);
}

/**
 * Whether the account must use a second factor: every instance administrator, and the
 * supervisors and admins of an organization that requires it.
 */
export function mfaRequired(db: Queryable, userId: number): boolean {
	const row = db
		.select({ admin: user.isInstanceAdmin })
		.from(user)
		.where(eq(user.id, userId))
		.get();
	if (row?.admin) return true;
	return (
		db
			.select({ id: membership.id })
			.from(membership)
			.innerJoin(organization, eq(organization.id, membership.orgId))
			.where(
				and(
					eq(membership.userId, userId),
					eq(membership.active, true),
					inArray(membership.role, ['supervisor', 'admin']),
					eq(organization.requireMfa, true)
				)
			)
			.get() !== undefined
	);
}

export interface FactorList {
	apps: { id: number; createdAt: Date; lastUsedAt: Date | null }[];
	passkeys: { id: number; label: string; createdAt: Date; lastUsedAt: Date | null }[];
	/** An app being added: its secret is shown until a correct code confirms it. */
	pendingApp: { id: number; secret: string } | null;
	recoveryLeft: number;
}

export function listFactors(db: Queryable, userId: number): FactorList {
	const apps = db
		.select({
			id: totpFactor.id,
			secret: totpFactor.secret,
			confirmedAt: totpFactor.confirmedAt,
			createdAt: totpFactor.createdAt,
			lastUsedAt: totpFactor.lastUsedAt
		})
		.from(totpFactor)
		.where(and(eq(totpFactor.userId, userId), isNull(totpFactor.removedAt)))
		.orderBy(totpFactor.id)
		.all();
	const pending = apps.filter((a) => !a.confirmedAt).at(-1);
	return {
		apps: apps
			.filter((a) => a.confirmedAt)
			.map(({ id, createdAt, lastUsedAt }) => ({ id, createdAt, lastUsedAt })),
		passkeys: db
			.select({
				id: passkey.id,
				label: passkey.label,
				createdAt: passkey.createdAt,
				lastUsedAt: passkey.lastUsedAt
			})
			.from(passkey)
			.where(and(eq(passkey.userId, userId), isNull(passkey.removedAt)))
			.orderBy(passkey.id)
			.all(),
		pendingApp: pending ? { id: pending.id, secret: pending.secret } : null,
		recoveryLeft: recoveryCodesLeft(db, userId)
	};
}

/** After a first factor: the user's sessions that were held at enrolment open fully. */
export function releaseEnrolmentHold(db: Queryable, userId: number): void {
	db.update(session).set({ mustEnrolMfa: false }).where(eq(session.userId, userId)).run();
}

export type RemoveResult = { ok: true } | { ok: false; message: string };

/**
 * Marks a factor removed (the row stays). The last factor of an account that must use MFA
 * cannot be removed; when the last one goes, the recovery codes go with it.
 */
export function removeFactor(
	db: Queryable,
	userId: number,
	kind: 'app' | 'passkey',
	id: number,
	now: Date
): RemoveResult {
	const table = kind === 'app' ? totpFactor : passkey;
	const live = db
		.select({ id: table.id })
		.from(table)
		.where(and(eq(table.id, id), eq(table.userId, userId), isNull(table.removedAt)))
		.get();
	if (!live) return { ok: false, message: 'That sign-in method is already gone.' };
	db.update(table).set({ removedAt: now }).where(eq(table.id, id)).run();
	if (!hasMfa(db, userId)) {
		if (mfaRequired(db, userId)) {
			db.update(table).set({ removedAt: null }).where(eq(table.id, id)).run();
			return {
				ok: false,
				message: 'Your account must keep a second factor. Add another one before removing this one.'
			};
		}
		revokeRecoveryCodes(db, userId, now);
	}
	return { ok: true };
}

/**
 * Tells the person about a change to how their account signs in, so a change they did not
 * make is noticed. Links come from the configured public origin only (public-origin.ts); without
 * one the notice still goes out, with no links in it.
 */
export async function mailMfaChange(
	db: DB,
	config: Config,
	mailer: Mailer,
	input: { userId: number; what: string; now: Date }
): Promise<void> {
	const to = db
		.select({ email: user.email, name: user.name })
		.from(user)
		.where(eq(user.id, input.userId))
		.get();
	if (!to) return;
	const origin = publicOrigin(config);
	const manage = origin ? `: ${new URL('/me/account/mfa', origin).href}` : ' on your account page';
	const reset = origin ? ` (${new URL('/reset', origin).href})` : '';
	try {
		await mailer.send({
			to: to.email,
			subject: `${config.instanceName}: ${input.what}`,
			text: [
				`Hello ${to.name},`,
				'',
				`${input.what} on your ${config.instanceName} account (${input.now.toISOString().slice(0, 16).replace('T', ' ')} UTC).`,
				'',
				`Review how you sign in${manage}`,
				'',
				`If this was not you, reset your password now${reset} and tell your administrator.`
			].join('\n')
		});
	} catch (e) {
		// The change is made and audited; a mail server that is down must not undo it.
		console.error('Could not send the sign-in change notice.', e);
	}
}
