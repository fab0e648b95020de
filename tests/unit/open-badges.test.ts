import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The independent verifier: only the field's libraries, with a document loader built here.
// Nothing below imports Muster's credential code for verifying.
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { securityLoader } from '@digitalcredentials/security-document-loader';
import multikeyContext from '@digitalbazaar/multikey-context';
import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
// The issuer side (what the server does and publishes).
import { credentialJson, statusListJson } from '../../src/lib/server/credentials';
import { didDocument, publicKeys } from '../../src/lib/server/credentials/keys';
import { checkCredential } from '../../src/lib/server/credentials/check';
import { findCertificateByCode, revokeCertificate } from '../../src/lib/server/certificates/status';
import { recordCompletion } from '../../src/lib/server/learning/completion';
import { catalog } from '../fixtures/courses';
import { makeUser, testDb } from '../fixtures/db';

const ORIGIN = 'https://muster.example';
const DID = 'did:web:muster.example';
let keysDir: string;
beforeAll(() => {
	keysDir = mkdtempSync(join(tmpdir(), 'muster-keys-'));
});
afterAll(() => rmSync(keysDir, { recursive: true, force: true }));
const settings = () => ({ origin: ORIGIN, keysDir });

/** A verifier's loader: bundled contexts, and the issuer's DID document as published. */
function verifierLoader(published: { verificationMethod: { id: string }[] }) {
	const loader = securityLoader();
	const multikey = 'https://w3id.org/security/multikey/v1';
	loader.addStatic(multikey, multikeyContext.contexts.get(multikey));
	loader.addStatic(DID, published);
	for (const m of published.verificationMethod)
		loader.addStatic(m.id, { '@context': multikey, ...m });
	const offline = {
		get: async ({ url }: { url: string }) => Promise.reject(new Error(`offline: ${url}`))
	};
	loader.setProtocolHandler({ protocol: 'did', handler: offline });
	loader.setProtocolHandler({ protocol: 'https', handler: offline });
	loader.setProtocolHandler({ protocol: 'http', handler: offline });
	return loader.build();
}

/** The DID document the server publishes at /.well-known/did.json. */
const published = () => didDocument(ORIGIN, publicKeys(keysDir));

async function verifyIndependently(credential: unknown, opts: { now?: Date } = {}) {
	return vc.verifyCredential({
		credential,
		suite: new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 }),
		documentLoader: verifierLoader(published()),
		checkStatus: async () => ({ verified: true }),
		...opts
	});
}

function readBit(encodedList: string, index: number): boolean {
	const bytes = gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'));
	return (bytes[Math.floor(index / 8)]! & (1 << (7 - (index % 8)))) !== 0;
}

async function issued(when = new Date('2026-03-02T10:00:00Z')) {
	const db = testDb();
	const holder = await makeUser(db, { email: 'Officer.Reyes@Riverside.example' });
	const course = catalog.bySlug.get('volunteer-onboarding')!;
	const { code } = db.transaction((tx) =>
		recordCompletion(tx, {
			userId: holder.id,
			course,
			attemptId: null,
			score: 90,
			method: 'self-paced',
			issuer: 'Harbor Light Outreach',
			now: when
		})
	);
	const cert = findCertificateByCode(db, code)!;
	const json = await credentialJson(db, cert, settings());
	return { db, holder, cert, json, credential: JSON.parse(json) };
}

describe('certificates as Open Badges 3.0 credentials', () => {
	it('verifies with an independent verifier, offline, and says what the issue asks', async () => {
		const { credential, cert } = await issued();
		const result = await verifyIndependently(credential);
		expect(result.error?.message ?? result.error).toBeUndefined();
		expect(result.verified).toBe(true);

		expect(credential.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
		expect(credential.issuer).toMatchObject({
			id: DID,
			type: ['Profile'],
			name: 'Harbor Light Outreach'
		});
		expect(credential.validFrom).toBe('2026-03-02T10:00:00.000Z');
		expect(credential.validUntil).toBe('2027-03-02T10:00:00.000Z');
		const subject = credential.credentialSubject;
		expect(subject.achievement).toMatchObject({
			type: ['Achievement'],
			name: cert.courseTitle,
			achievementType: 'Certification',
			creditsAvailable: cert.creditHours
		});
		expect(subject.achievement.criteria.narrative).toMatch(/pass its assessment/);
		expect(subject.creditsEarned).toBe(cert.creditHours);
		// the holder's email only as a salted hash
		expect(JSON.stringify(credential).toLowerCase()).not.toContain('officer.reyes');
		const id = subject.identifier[0];
		expect(id).toMatchObject({
			type: 'IdentityObject',
			identityType: 'emailAddress',
			hashed: true
		});
		const { createHash } = await import('node:crypto');
		expect(id.identityHash).toBe(
			'sha256$' +
				createHash('sha256')
					.update('officer.reyes@riverside.example' + id.salt)
					.digest('hex')
		);
		expect(credential.proof).toHaveLength(1);
		expect(credential.proof[0]).toMatchObject({
			type: 'DataIntegrityProof',
			cryptosuite: 'eddsa-rdfc-2022',
			proofPurpose: 'assertionMethod'
		});
		expect(credential.proof[0].verificationMethod).toMatch(new RegExp(`^${DID}#z6Mk`));
	});

	it('validates against the official 1EdTech JSON schema', async () => {
		const { credential } = await issued();
		const schema = JSON.parse(
			readFileSync('tests/fixtures/ob_v3p0_achievementcredential_schema.json', 'utf8')
		);
		const ajv = new Ajv2019({ strict: false, allErrors: true });
		addFormats(ajv);
		const validate = ajv.compile(schema);
		const ok = validate(credential);
		expect(validate.errors ?? []).toEqual([]);
		expect(ok).toBe(true);
	});

	it('fails verification when one character is changed', async () => {
		const { json } = await issued();
		const original = JSON.parse(json);
		const earned = original.credentialSubject.creditsEarned as number;
		expect(earned).toBeLessThan(9);
		// one digit: the credit hours earned
		const changed = JSON.parse(
			json.replace(`"creditsEarned": ${earned}`, `"creditsEarned": ${earned + 1}`)
		);
		expect(changed.credentialSubject.creditsEarned).not.toBe(
			original.credentialSubject.creditsEarned
		);
		expect((await verifyIndependently(changed)).verified).toBe(false);
		const renamed = JSON.parse(json);
		renamed.issuer.name = renamed.issuer.name.replace('H', 'J');
		expect((await verifyIndependently(renamed)).verified).toBe(false);
	});

	it('is issued once and served the same afterwards (kept by certificate)', async () => {
		const { db, cert, json } = await issued();
		expect(await credentialJson(db, cert, settings())).toBe(json);
	});

	it('shows a revocation through the status list the server serves', async () => {
		const { db, cert, credential } = await issued();
		const admin = await makeUser(db, { isInstanceAdmin: true });
		const entry = credential.credentialStatus;
		expect(entry).toMatchObject({
			type: 'BitstringStatusListEntry',
			statusPurpose: 'revocation',
			statusListCredential: `${ORIGIN}/credentials/status/revocation`
		});
		const before = JSON.parse(await statusListJson(db, settings()));
		expect((await verifyIndependently(before)).verified).toBe(true);
		expect(readBit(before.credentialSubject.encodedList, Number(entry.statusListIndex))).toBe(
			false
		);

		revokeCertificate(db, { code: cert.code, reason: 'misconduct', by: admin.id });
		const after = JSON.parse(await statusListJson(db, settings()));
		expect(after.type).toContain('BitstringStatusListCredential');
		expect((await verifyIndependently(after)).verified).toBe(true);
		expect(readBit(after.credentialSubject.encodedList, Number(entry.statusListIndex))).toBe(true);

		const report = await checkCredential(db, credential, settings(), null);
		expect(report.signature).toBe('valid');
		expect(report.revoked).toBe(true);
	});

	it('reports an expired credential as expired', async () => {
		const { db, credential } = await issued(new Date('2024-01-10T09:00:00Z'));
		const result = await verifyIndependently(credential);
		expect(result.verified).toBe(false);
		expect(String(result.error?.message ?? result.error)).toMatch(/validUntil|expired/i);
		const report = await checkCredential(db, credential, settings(), null);
		expect(report).toMatchObject({ signature: 'valid', expired: true, revoked: false });
	});

	it('says whom it was issued to when the verifier types the email, and rejects a forgery', async () => {
		const { db, credential } = await issued();
		expect(
			await checkCredential(db, credential, settings(), ' officer.reyes@riverside.example')
		).toMatchObject({
			signature: 'valid',
			emailMatches: true,
			expired: false,
			revoked: false,
			issuerName: 'Harbor Light Outreach'
		});
		expect(
			(await checkCredential(db, credential, settings(), 'someone@else.example')).emailMatches
		).toBe(false);
		const forged = structuredClone(credential);
		forged.validUntil = '2099-01-01T00:00:00.000Z';
		expect((await checkCredential(db, forged, settings(), null)).signature).toBe('invalid');
	});

	it('keeps the key in a file outside the database, and every key stays published after rotation', async () => {
		const { createKey } = await import('../../src/lib/server/credentials/keys');
		const { db, credential } = await issued();
		const files = readdirSync(keysDir);
		expect(files.length).toBeGreaterThanOrEqual(1);
		const secret = JSON.parse(readFileSync(join(keysDir, files[0]!), 'utf8')).secretKeyMultibase;
		expect(secret).toMatch(/^z/);
		expect(db.$client.serialize().includes(Buffer.from(secret))).toBe(false);
		await createKey(keysDir);
		const doc = published();
		expect(doc.verificationMethod.length).toBe(files.length + 1);
		// the old credential still verifies; a new one is signed with the new key
		expect((await verifyIndependently(credential)).verified).toBe(true);
		const next = await issued();
		expect(next.credential.proof[0].verificationMethod).toBe(doc.assertionMethod.at(-1));
		expect((await verifyIndependently(next.credential)).verified).toBe(true);
	});
});

describe('reading a pasted credential', () => {
	it('says in words what is wrong with text that is not a credential', async () => {
		const { parseCredential } = await import('../../src/lib/server/credentials/check');
		expect(parseCredential('')).toMatchObject({ ok: false, message: /Paste/ });
		expect(parseCredential('{"type": ')).toMatchObject({ ok: false, message: /not valid JSON/ });
		expect(parseCredential('[1, 2]')).toMatchObject({ ok: false, message: /one object/ });
		expect(parseCredential('{"type": "Thing"}')).toMatchObject({
			ok: false,
			message: /not a verifiable credential/
		});
		expect(parseCredential('{"type": ["VerifiableCredential"]}')).toMatchObject({ ok: true });
	});

	it('never throws on a credential-shaped object with nonsense inside', async () => {
		const { checkCredential } = await import('../../src/lib/server/credentials/check');
		const db = testDb();
		for (const junk of [
			{ type: ['VerifiableCredential'] },
			{ type: ['VerifiableCredential'], issuer: 5, proof: 'x', validUntil: 'soon' },
			{
				type: ['VerifiableCredential'],
				proof: [{ verificationMethod: `${DID}#z6Mkxx` }],
				credentialSubject: 'x',
				credentialStatus: {
					statusListCredential: `${ORIGIN}/credentials/status/revocation`,
					statusListIndex: '-4'
				}
			}
		]) {
			const report = await checkCredential(db, junk, settings(), 'a@b.example');
			expect(['invalid', 'unknown-issuer']).toContain(report.signature);
		}
	});
});
