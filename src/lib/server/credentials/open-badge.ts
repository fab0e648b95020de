import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { createHash, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { DB } from '../db';
import { openBadge, user } from '../db/schema';
import type { Course } from '../courses';
import type { CertificateRecord } from '../certificates/status';
import { didForOrigin, loadKeys, signingKey } from './keys';
import { offlineLoader } from './loader';
import { statusEntry } from './status-list';
import { VC_CONTEXT_URL } from './contexts';

export const VC_CONTEXT = VC_CONTEXT_URL;
export const OB_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';

export interface BadgeSettings {
	/** The public address (ORIGIN, or the request's). */
	origin: string;
	keysDir: string;
}

/** `sha256$<hex>` of the normalized email followed by the salt (OB 3.0 IdentityObject). */
export function hashEmail(email: string, salt: string): string {
	const normalized = email.trim().toLowerCase();
	return (
		'sha256$' +
		createHash('sha256')
			.update(normalized + salt, 'utf8')
			.digest('hex')
	);
}

/** The Open Badges 3.0 credential of a certificate, before signing. */
export function unsignedCredential(
	cert: CertificateRecord,
	holderEmail: string,
	course: Course | undefined,
	settings: BadgeSettings,
	salt: string
) {
	const { origin } = settings;
	const did = didForOrigin(origin);
	const title = cert.courseTitle;
	const passing = course?.meta.passingScore;
	return {
		'@context': [VC_CONTEXT, OB_CONTEXT],
		id: `${origin}/verify/${cert.code}`,
		type: ['VerifiableCredential', 'OpenBadgeCredential'],
		name: `${title}: certificate`,
		issuer: { id: did, type: ['Profile'], name: cert.issuer, url: origin },
		validFrom: cert.completedAt.toISOString(),
		...(cert.expiresAt ? { validUntil: cert.expiresAt.toISOString() } : {}),
		credentialSubject: {
			type: ['AchievementSubject'],
			identifier: [
				{
					type: 'IdentityObject',
					identityHash: hashEmail(holderEmail, salt),
					identityType: 'emailAddress',
					hashed: true,
					salt
				}
			],
			achievement: {
				id: `${origin}/courses/${cert.courseSlug}`,
				type: ['Achievement'],
				name: title,
				description: course?.meta.summary ?? title,
				criteria: {
					narrative:
						`Read every module of the course "${title}" (content version ${cert.contentVersion}) ` +
						`and pass its assessment` +
						(passing ? ` with a score of at least ${passing}%.` : '.')
				},
				achievementType: cert.expiresAt ? 'Certification' : 'Certificate',
				creditsAvailable: cert.creditHours
			},
			creditsEarned: cert.creditHours
		},
		credentialStatus: statusEntry(origin, cert.id)
	};
}

/**
 * Signs a credential with the instance's newest key as a Data Integrity proof
 * (eddsa-rdfc-2022), offline. The proof is stored as an array, as the 1EdTech JSON schema
 * wants (the library verifies both forms).
 */
export async function signCredential<T extends object>(
	credential: T,
	settings: BadgeSettings
): Promise<T & { proof: object[] }> {
	const key = await signingKey(settings.keysDir, settings.origin);
	const keys = await loadKeys(settings.keysDir);
	const suite = new DataIntegrityProof({ signer: key.pair.signer(), cryptosuite: eddsaRdfc2022 });
	const signed = await vc.issue({
		credential,
		suite,
		documentLoader: offlineLoader(settings.origin, keys)
	});
	const proof = Array.isArray(signed.proof) ? signed.proof : [signed.proof];
	return { ...signed, proof };
}

/**
 * The signed credential of a certificate as served: made on the first request and kept in
 * `open_badge`, so every later download is the same document (and no signing ever happens in
 * the transaction that records a completion). Returns the JSON text.
 */
export async function openBadgeFor(
	db: DB,
	cert: CertificateRecord,
	course: Course | undefined,
	settings: BadgeSettings
): Promise<string> {
	const cached = db
		.select({ credential: openBadge.credential })
		.from(openBadge)
		.where(eq(openBadge.certificateId, cert.id))
		.get();
	if (cached) return cached.credential;
	const holder = db.select({ email: user.email }).from(user).where(eq(user.id, cert.userId)).get();
	const salt = randomBytes(16).toString('base64url');
	const signed = await signCredential(
		unsignedCredential(cert, holder?.email ?? '', course, settings, salt),
		settings
	);
	const text = JSON.stringify(signed, null, 2);
	// Two first requests at once: the first stored wins and both answer with it.
	db.insert(openBadge)
		.values({
			certificateId: cert.id,
			credential: text,
			keyId: (signed.proof[0] as { verificationMethod: string }).verificationMethod,
			signedAt: new Date()
		})
		.onConflictDoNothing()
		.run();
	return db
		.select({ credential: openBadge.credential })
		.from(openBadge)
		.where(eq(openBadge.certificateId, cert.id))
		.get()!.credential;
}
