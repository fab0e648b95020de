import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import type { DB } from '../db';
import { didForOrigin, publicKeys } from './keys';
import { offlineLoader } from './loader';
import { hashEmail } from './open-badge';
import { listState, statusListUrl } from './status-list';

/** What /verify says about a pasted or uploaded credential, in words a person can act on. */
export interface CredentialReport {
	/** Whether the signature holds (null: not this instance's signature, cannot check offline). */
	signature: 'valid' | 'invalid' | 'unknown-issuer';
	signatureNote: string;
	issuerName: string | null;
	issuerId: string | null;
	achievement: string | null;
	validFrom: string | null;
	validUntil: string | null;
	expired: boolean;
	notYetValid: boolean;
	revoked: boolean | null;
	/** Whether the typed email matches the holder's hashed identity (null: no email typed). */
	emailMatches: boolean | null;
	hasHashedEmail: boolean;
}

export type ParseOutcome =
	{ ok: true; credential: Record<string, unknown> } | { ok: false; message: string };

/** Parses pasted text into a credential object, or says in words why it is not one. */
export function parseCredential(text: string): ParseOutcome {
	const trimmed = text.trim();
	if (!trimmed) return { ok: false, message: 'Paste the credential’s JSON or choose its file.' };
	let value: unknown;
	try {
		value = JSON.parse(trimmed);
	} catch {
		return {
			ok: false,
			message: 'This is not valid JSON. Paste the whole file, from the first { to the last }.'
		};
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value))
		return { ok: false, message: 'This JSON is not a credential (it should be one object).' };
	const c = value as Record<string, unknown>;
	const types = Array.isArray(c.type) ? c.type : [c.type];
	if (!types.includes('VerifiableCredential'))
		return {
			ok: false,
			message: 'This JSON is not a verifiable credential (its type says otherwise).'
		};
	return { ok: true, credential: c };
}

const str = (v: unknown) => (typeof v === 'string' ? v : null);
const date = (v: unknown) => {
	const s = str(v);
	return s && !Number.isNaN(Date.parse(s)) ? s : null;
};

export async function checkCredential(
	db: DB,
	credential: Record<string, unknown>,
	settings: { origin: string; keysDir: string },
	email: string | null,
	now = new Date()
): Promise<CredentialReport> {
	const issuer = credential.issuer as Record<string, unknown> | string | undefined;
	const issuerId = typeof issuer === 'string' ? issuer : str(issuer?.id);
	const issuerName = typeof issuer === 'object' ? str(issuer?.name) : null;
	const subject = (credential.credentialSubject ?? {}) as Record<string, unknown>;
	const achievement = str((subject.achievement as Record<string, unknown> | undefined)?.name);
	const validFrom = date(credential.validFrom);
	const validUntil = date(credential.validUntil);

	const did = didForOrigin(settings.origin);
	const proofs = Array.isArray(credential.proof) ? credential.proof : [credential.proof];
	const ours = proofs.some(
		(p) =>
			typeof p === 'object' &&
			p !== null &&
			str((p as Record<string, unknown>).verificationMethod)?.startsWith(`${did}#`)
	);
	let signature: CredentialReport['signature'];
	let signatureNote: string;
	if (!ours) {
		signature = 'unknown-issuer';
		signatureNote =
			'It was not signed by this instance, so its signature cannot be checked here. Check it with its issuer, or with a verifier that can look the issuer up.';
	} else {
		try {
			const result = await vc.verifyCredential({
				credential,
				suite: new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 }),
				documentLoader: offlineLoader(settings.origin, publicKeys(settings.keysDir)),
				// expiry and revocation are reported on their own below
				checkStatus: async () => ({ verified: true }),
				now: validFrom ? new Date(validFrom) : now
			});
			signature = result.verified ? 'valid' : 'invalid';
		} catch {
			signature = 'invalid';
		}
		signatureNote =
			signature === 'valid'
				? `The signature holds: this instance (${did}) signed exactly this content.`
				: 'The signature does not hold: the credential was changed after it was signed, or it is damaged.';
	}

	let revoked: boolean | null = null;
	const status = credential.credentialStatus as Record<string, unknown> | undefined;
	if (status && str(status.statusListCredential) === statusListUrl(settings.origin)) {
		const index = Number(str(status.statusListIndex));
		if (Number.isInteger(index) && index >= 0) revoked = listState(db).revoked.includes(index);
	}

	const identifiers = Array.isArray(subject.identifier) ? subject.identifier : [];
	const hashed = identifiers.filter(
		(i): i is { identityHash: string; salt?: string } =>
			typeof i === 'object' &&
			i !== null &&
			(i as Record<string, unknown>).identityType === 'emailAddress' &&
			typeof (i as Record<string, unknown>).identityHash === 'string'
	);
	const emailMatches =
		email && hashed.length
			? hashed.some(
					(i) => i.identityHash === hashEmail(email, typeof i.salt === 'string' ? i.salt : '')
				)
			: null;

	return {
		signature,
		signatureNote,
		issuerName,
		issuerId,
		achievement,
		validFrom,
		validUntil,
		expired: validUntil !== null && Date.parse(validUntil) <= now.getTime(),
		notYetValid: validFrom !== null && Date.parse(validFrom) > now.getTime(),
		revoked,
		emailMatches,
		hasHashedEmail: hashed.length > 0
	};
}
