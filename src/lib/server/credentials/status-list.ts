import { gunzipSync, gzipSync } from 'node:zlib';
import type { DB } from '../db';
import { VC_CONTEXT_URL } from './contexts';
import { didForOrigin } from './keys';

/**
 * Revocation through a W3C Bitstring Status List: every certificate's credential points at
 * bit `certificate.id` of one list credential the server serves at STATUS_LIST_PATH, signed
 * like the credentials and rebuilt whenever a revocation was added. Bit 0 is the most
 * significant bit of the first byte; the list has at least 131,072 bits (the spec's minimum,
 * for herd privacy), more when there are more certificates.
 */
export const STATUS_LIST_PATH = '/credentials/status/revocation';
const MIN_BITS = 131_072;

export function statusListUrl(origin: string): string {
	return `${origin}${STATUS_LIST_PATH}`;
}

export function statusEntry(origin: string, index: number) {
	const url = statusListUrl(origin);
	return {
		id: `${url}#${index}`,
		type: 'BitstringStatusListEntry',
		statusPurpose: 'revocation',
		statusListIndex: String(index),
		statusListCredential: url
	};
}

export function encodeBits(indices: number[], size: number): string {
	const bytes = new Uint8Array(Math.ceil(size / 8));
	for (const i of indices) bytes[i >> 3]! |= 0x80 >> (i & 7);
	return 'u' + gzipSync(bytes).toString('base64url');
}

/** Reads one bit of an `encodedList` (multibase base64url, GZIP). Throws on a malformed list. */
export function bitAt(encodedList: string, index: number): boolean {
	if (!encodedList.startsWith('u')) throw new Error('the status list is not multibase base64url');
	const bytes = gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'));
	if (index < 0 || index >= bytes.length * 8)
		throw new Error('the index is outside the status list');
	return (bytes[index >> 3]! & (0x80 >> (index & 7))) !== 0;
}

export interface ListState {
	revoked: number[];
	size: number;
	/** Changes whenever the list's content does. */
	version: string;
}

export function listState(db: DB): ListState {
	const client = db.$client;
	const revoked = (
		client.prepare('select certificate_id as id from certificate_revocation order by id').all() as {
			id: number;
		}[]
	).map((r) => r.id);
	const { maxId } = client
		.prepare('select coalesce(max(id), 0) as maxId from certificate')
		.get() as {
		maxId: number;
	};
	const size = Math.max(MIN_BITS, Math.ceil((maxId + 1) / 8) * 8);
	return { revoked, size, version: `${size}:${revoked.join(',')}` };
}

/** The unsigned status list credential for the list's current content. */
export function unsignedStatusList(origin: string, state: ListState, now: Date) {
	const url = statusListUrl(origin);
	return {
		'@context': [VC_CONTEXT_URL],
		id: url,
		type: ['VerifiableCredential', 'BitstringStatusListCredential'],
		issuer: didForOrigin(origin),
		validFrom: now.toISOString(),
		credentialSubject: {
			id: `${url}#list`,
			type: 'BitstringStatusList',
			statusPurpose: 'revocation',
			encodedList: encodeBits(state.revoked, state.size)
		}
	};
}

const signedLists = new Map<string, { version: string; text: string }>();

/**
 * The signed status list credential as served: re-signed only when a revocation was added or
 * the list grew (kept per origin in memory; a restart signs it again on first request).
 */
export async function signedStatusList(
	db: DB,
	settings: { origin: string; keysDir: string },
	sign: (credential: object) => Promise<object>,
	now = new Date()
): Promise<string> {
	const state = listState(db);
	const cached = signedLists.get(settings.origin);
	if (cached?.version === state.version) return cached.text;
	const text = JSON.stringify(await sign(unsignedStatusList(settings.origin, state, now)), null, 2);
	signedLists.set(settings.origin, { version: state.version, text });
	return text;
}
