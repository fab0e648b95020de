import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {
	chmodSync,
	existsSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	writeFileSync
} from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The instance's Ed25519 signing keys, kept in files outside the database (MUSTER_KEYS_DIR,
 * default `data/keys`), one JSON file per key, readable by the server's user only. The first
 * start creates one. Rotation (`npm run keys:rotate`) adds a newer file: the newest key signs
 * from then on, and every key in the folder stays published in the instance's DID document,
 * so credentials and audit heads signed with an older key still verify. Never delete a key
 * file that has signed anything; copy the folder into your backups of secrets.
 */
export interface KeyFile {
	type: 'Multikey';
	publicKeyMultibase: string;
	secretKeyMultibase: string;
	created: string;
}

export interface InstanceKey {
	publicKeyMultibase: string;
	secretKeyMultibase?: string;
	created: string;
}

function keyFiles(dir: string): KeyFile[] {
	if (!existsSync(dir)) return [];
	return readdirSync(dir)
		.filter((name) => /^key-.*\.json$/.test(name))
		.map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as KeyFile)
		.filter((k) => k.type === 'Multikey' && typeof k.publicKeyMultibase === 'string')
		.sort((a, b) => a.created.localeCompare(b.created));
}

/** Writes a new key file; it becomes the signing key. */
export async function createKey(dir: string, now = new Date()): Promise<KeyFile> {
	const folder = resolve(dir);
	mkdirSync(folder, { recursive: true, mode: 0o700 });
	const pair = await Ed25519Multikey.generate();
	const exported = await pair.export({ publicKey: true, secretKey: true, includeContext: false });
	const file: KeyFile = {
		type: 'Multikey',
		publicKeyMultibase: exported.publicKeyMultibase,
		secretKeyMultibase: exported.secretKeyMultibase!,
		created: now.toISOString()
	};
	const stamp = file.created.replace(/[:.]/g, '').slice(0, 15);
	const path = join(folder, `key-${stamp}-${file.publicKeyMultibase.slice(-8)}.json`);
	writeFileSync(path, JSON.stringify(file, null, '\t') + '\n', { mode: 0o600, flag: 'wx' });
	chmodSync(path, 0o600);
	return file;
}

/** All keys, oldest first; creates the first one when the folder has none. */
export async function loadKeys(dir: string): Promise<KeyFile[]> {
	const keys = keyFiles(dir);
	if (keys.length) return keys;
	await createKey(dir);
	return keyFiles(dir);
}

/** The public keys only (for verifying, without creating anything). */
export function publicKeys(dir: string): InstanceKey[] {
	return keyFiles(dir).map(({ publicKeyMultibase, created }) => ({ publicKeyMultibase, created }));
}

/** `did:web` for an origin: the host, with a port's colon percent-encoded. */
export function didForOrigin(origin: string): string {
	const url = new URL(origin);
	const path = url.pathname.replace(/\/+$/, '');
	const host = encodeURIComponent(url.host);
	return path
		? `did:web:${host}${path.split('/').map(encodeURIComponent).join(':')}`
		: `did:web:${host}`;
}

export function verificationMethodId(did: string, key: { publicKeyMultibase: string }): string {
	return `${did}#${key.publicKeyMultibase}`;
}

/**
 * The instance's DID document (served at /.well-known/did.json): every key, newest last, as
 * a Multikey the instance asserts with. It uses both the DID and Multikey contexts, which a
 * JSON-LD safe-mode verifier needs to see `assertionMethod`.
 */
export function didDocument(origin: string, keys: { publicKeyMultibase: string }[]) {
	const did = didForOrigin(origin);
	const methods = keys.map((key) => ({
		id: verificationMethodId(did, key),
		type: 'Multikey',
		controller: did,
		publicKeyMultibase: key.publicKeyMultibase
	}));
	return {
		'@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
		id: did,
		verificationMethod: methods,
		assertionMethod: methods.map((m) => m.id)
	};
}

/** A key pair for signing (the newest key) with its verification method id. */
export async function signingKey(dir: string, origin: string) {
	const keys = await loadKeys(dir);
	const newest = keys[keys.length - 1]!;
	const did = didForOrigin(origin);
	const pair = await Ed25519Multikey.from({
		'@context': 'https://w3id.org/security/multikey/v1',
		type: 'Multikey',
		id: verificationMethodId(did, newest),
		controller: did,
		publicKeyMultibase: newest.publicKeyMultibase,
		secretKeyMultibase: newest.secretKeyMultibase
	});
	return {
		pair,
		id: verificationMethodId(did, newest),
		did,
		publicKeyMultibase: newest.publicKeyMultibase
	};
}

/** Verifies a detached Ed25519 signature made by one of `keys` (by its public multibase). */
export async function verifyWithKey(
	publicKeyMultibase: string,
	data: Uint8Array,
	signature: Uint8Array
): Promise<boolean> {
	const pair = await Ed25519Multikey.from({
		'@context': 'https://w3id.org/security/multikey/v1',
		type: 'Multikey',
		id: `urn:key:${publicKeyMultibase}`,
		controller: `urn:key:${publicKeyMultibase}`,
		publicKeyMultibase
	});
	return pair.verifier().verify({ data, signature });
}
