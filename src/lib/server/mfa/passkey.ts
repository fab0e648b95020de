import {
	generateAuthenticationOptions,
	generateRegistrationOptions,
	verifyAuthenticationResponse,
	verifyRegistrationResponse,
	type AuthenticationResponseJSON,
	type PublicKeyCredentialCreationOptionsJSON,
	type PublicKeyCredentialRequestOptionsJSON,
	type RegistrationResponseJSON
} from '@simplewebauthn/server';
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from '@oslojs/encoding';
import { and, eq, isNull } from 'drizzle-orm';
import type { Queryable } from '../db';
import { passkey, user, webauthnChallenge } from '../db/schema';

const CHALLENGE_MS = 5 * 60_000;

/** Who passkeys are bound to: the configured origin's host name (the address bar otherwise). */
export interface RelyingParty {
	name: string;
	id: string;
	origin: string;
}

export function relyingParty(config: { origin?: string; instanceName: string }, url: URL) {
	const origin = config.origin ?? url.origin;
	return { name: config.instanceName, id: new URL(origin).hostname, origin } as RelyingParty;
}

function saveChallenge(
	db: Queryable,
	owner: string,
	userId: number,
	challenge: string,
	now: Date
): void {
	const expiresAt = new Date(now.getTime() + CHALLENGE_MS);
	db.insert(webauthnChallenge)
		.values({ owner, userId, challenge, expiresAt })
		.onConflictDoUpdate({ target: webauthnChallenge.owner, set: { userId, challenge, expiresAt } })
		.run();
}

/** Takes the owner's challenge (it cannot be answered twice) if it is still fresh. */
function takeChallenge(db: Queryable, owner: string, userId: number, now: Date): string | null {
	const row = db
		.delete(webauthnChallenge)
		.where(and(eq(webauthnChallenge.owner, owner), eq(webauthnChallenge.userId, userId)))
		.returning({ challenge: webauthnChallenge.challenge, expiresAt: webauthnChallenge.expiresAt })
		.get();
	return row && row.expiresAt > now ? row.challenge : null;
}

function livePasskeys(db: Queryable, userId: number) {
	return db
		.select({
			id: passkey.id,
			credentialId: passkey.credentialId,
			publicKey: passkey.publicKey,
			counter: passkey.counter,
			transports: passkey.transports
		})
		.from(passkey)
		.where(and(eq(passkey.userId, userId), isNull(passkey.removedAt)))
		.all();
}

/** Options for adding a passkey; the challenge is kept for this session only. */
export async function passkeyRegistrationOptions(
	db: Queryable,
	rp: RelyingParty,
	input: { userId: number; sessionId: string; now: Date }
): Promise<PublicKeyCredentialCreationOptionsJSON> {
	const who = db
		.select({ email: user.email, name: user.name })
		.from(user)
		.where(eq(user.id, input.userId))
		.get()!;
	const options = await generateRegistrationOptions({
		rpName: rp.name,
		rpID: rp.id,
		userName: who.email,
		userDisplayName: who.name,
		userID: new TextEncoder().encode(`muster-user-${input.userId}`),
		attestationType: 'none',
		excludeCredentials: livePasskeys(db, input.userId).map((p) => ({
			id: p.credentialId,
			transports: p.transports
		})),
		authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' }
	});
	saveChallenge(db, `reg:${input.sessionId}`, input.userId, options.challenge, input.now);
	return options;
}

function parseJson<T>(raw: string): T | null {
	try {
		const v = JSON.parse(raw);
		return v && typeof v === 'object' ? (v as T) : null;
	} catch {
		return null;
	}
}

/** Verifies a new passkey and stores it. Returns its id, or null when it is not acceptable. */
export async function addPasskey(
	db: Queryable,
	rp: RelyingParty,
	input: { userId: number; sessionId: string; response: string; label: string; now: Date }
): Promise<number | null> {
	const response = parseJson<RegistrationResponseJSON>(input.response);
	const challenge = takeChallenge(db, `reg:${input.sessionId}`, input.userId, input.now);
	if (!response || !challenge) return null;
	let result;
	try {
		result = await verifyRegistrationResponse({
			response,
			expectedChallenge: challenge,
			expectedOrigin: rp.origin,
			expectedRPID: rp.id,
			requireUserVerification: false
		});
	} catch {
		return null;
	}
	if (!result.verified) return null;
	const { credential } = result.registrationInfo;
	const taken = db
		.select({ id: passkey.id })
		.from(passkey)
		.where(eq(passkey.credentialId, credential.id))
		.get();
	if (taken) return null;
	return db
		.insert(passkey)
		.values({
			userId: input.userId,
			credentialId: credential.id,
			publicKey: encodeBase64urlNoPadding(credential.publicKey),
			counter: credential.counter,
			transports: credential.transports ?? [],
			label: input.label,
			createdAt: input.now
		})
		.returning({ id: passkey.id })
		.get().id;
}

/** Options for signing in with one of the user's passkeys, for one pending sign-in. */
export async function passkeySignInOptions(
	db: Queryable,
	rp: RelyingParty,
	input: { userId: number; pendingId: string; now: Date }
): Promise<PublicKeyCredentialRequestOptionsJSON | null> {
	const keys = livePasskeys(db, input.userId);
	if (keys.length === 0) return null;
	const options = await generateAuthenticationOptions({
		rpID: rp.id,
		allowCredentials: keys.map((k) => ({ id: k.credentialId, transports: k.transports })),
		userVerification: 'preferred'
	});
	saveChallenge(db, `auth:${input.pendingId}`, input.userId, options.challenge, input.now);
	return options;
}

/** Verifies a passkey's answer for a pending sign-in; returns the passkey's id, or null. */
export async function usePasskey(
	db: Queryable,
	rp: RelyingParty,
	input: { userId: number; pendingId: string; response: string; now: Date }
): Promise<number | null> {
	const response = parseJson<AuthenticationResponseJSON>(input.response);
	const challenge = takeChallenge(db, `auth:${input.pendingId}`, input.userId, input.now);
	if (!response || !challenge || typeof response.id !== 'string') return null;
	const key = livePasskeys(db, input.userId).find((k) => k.credentialId === response.id);
	if (!key) return null;
	let result;
	try {
		result = await verifyAuthenticationResponse({
			response,
			expectedChallenge: challenge,
			expectedOrigin: rp.origin,
			expectedRPID: rp.id,
			credential: {
				id: key.credentialId,
				publicKey: new Uint8Array(decodeBase64urlIgnorePadding(key.publicKey)),
				counter: key.counter,
				transports: key.transports as never
			},
			requireUserVerification: false
		});
	} catch {
		return null;
	}
	if (!result.verified) return null;
	// The library refuses a counter that did not move on (a cloned authenticator).
	const updated = db
		.update(passkey)
		.set({ counter: result.authenticationInfo.newCounter, lastUsedAt: input.now })
		.where(and(eq(passkey.id, key.id), isNull(passkey.removedAt)))
		.run().changes;
	return updated ? key.id : null;
}
