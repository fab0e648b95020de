import type Database from 'better-sqlite3';
import { publicKeys, signingKey, verifyWithKey } from '../credentials/keys';
import { AUDIT_HASH_VERSION } from './chain';
import type { Anchor } from './verify';

/**
 * A signed "audit head" statement: the chain's head at a moment, signed with the instance's
 * Ed25519 key, to keep outside the server (a rewrite of the whole chain is then detectable).
 *
 *   { "statement": { "at", "eventId", "events", "hashVersion", "head", "instance", "type" },
 *     "signature": { "type": "Ed25519Signature", "verificationMethod", "publicKeyMultibase",
 *                    "signatureValue" } }
 *
 * The signature is a detached Ed25519 signature (base64url) over the UTF-8 bytes of
 * `JSON.stringify(statement)` with the statement's keys in alphabetical order, as above.
 */
export interface AuditHeadStatement {
	at: string;
	eventId: number;
	events: number;
	hashVersion: string;
	head: string;
	instance: string;
	type: 'MusterAuditHead';
}

export interface SignedAuditHead {
	statement: AuditHeadStatement;
	signature: {
		type: 'Ed25519Signature';
		verificationMethod: string;
		publicKeyMultibase: string;
		signatureValue: string;
	};
}

function canonicalBytes(s: AuditHeadStatement): Uint8Array {
	const sorted = Object.fromEntries(
		Object.entries(s).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
	);
	return new TextEncoder().encode(JSON.stringify(sorted));
}

/** The head of the chain now: its last event and how many events it has. */
export function chainHead(client: Database.Database): {
	eventId: number;
	head: string;
	events: number;
} {
	const last = client.prepare('select id, hash from audit_event order by id desc limit 1').get() as
		{ id: number; hash: string | null } | undefined;
	const { n } = client.prepare('select count(*) as n from audit_event').get() as { n: number };
	return { eventId: last?.id ?? 0, head: last?.hash ?? '0'.repeat(64), events: n };
}

export async function signAuditHead(
	client: Database.Database,
	keysDir: string,
	origin: string,
	now = new Date()
): Promise<SignedAuditHead> {
	const head = chainHead(client);
	const statement: AuditHeadStatement = {
		at: now.toISOString(),
		eventId: head.eventId,
		events: head.events,
		hashVersion: AUDIT_HASH_VERSION,
		head: head.head,
		instance: origin,
		type: 'MusterAuditHead'
	};
	const key = await signingKey(keysDir, origin);
	const signature: Uint8Array = await key.pair.signer().sign({ data: canonicalBytes(statement) });
	return {
		statement,
		signature: {
			type: 'Ed25519Signature',
			verificationMethod: key.id,
			publicKeyMultibase: key.publicKeyMultibase,
			signatureValue: Buffer.from(signature).toString('base64url')
		}
	};
}

/**
 * Checks a signed audit head read from a file: its shape, that it was signed by one of this
 * instance's keys (the key folder), and the signature. Throws with the reason otherwise.
 */
export async function checkAnchorFile(
	input: unknown,
	keysDir: string
): Promise<Anchor & { keyId: string }> {
	const file = input as Partial<SignedAuditHead>;
	const s = file?.statement;
	const sig = file?.signature;
	if (
		!s ||
		s.type !== 'MusterAuditHead' ||
		typeof s.at !== 'string' ||
		!Number.isInteger(s.eventId) ||
		!Number.isInteger(s.events) ||
		typeof s.head !== 'string' ||
		!/^[0-9a-f]{64}$/.test(s.head) ||
		typeof s.instance !== 'string' ||
		typeof s.hashVersion !== 'string'
	)
		throw new Error('it is not a Muster audit head statement');
	if (!sig || typeof sig.publicKeyMultibase !== 'string' || typeof sig.signatureValue !== 'string')
		throw new Error('it carries no signature');
	if (!publicKeys(keysDir).some((k) => k.publicKeyMultibase === sig.publicKeyMultibase))
		throw new Error(
			`it was signed by a key that is not one of this instance's (${sig.publicKeyMultibase})`
		);
	const statement: AuditHeadStatement = {
		at: s.at,
		eventId: s.eventId!,
		events: s.events!,
		hashVersion: s.hashVersion,
		head: s.head,
		instance: s.instance,
		type: 'MusterAuditHead'
	};
	const ok = await verifyWithKey(
		sig.publicKeyMultibase,
		canonicalBytes(statement),
		new Uint8Array(Buffer.from(sig.signatureValue, 'base64url'))
	);
	if (!ok) throw new Error('its signature does not hold: the statement was changed');
	return {
		eventId: statement.eventId,
		head: statement.head,
		events: statement.events,
		at: statement.at,
		keyId: sig.verificationMethod ?? sig.publicKeyMultibase
	};
}
