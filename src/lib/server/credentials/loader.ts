import { securityLoader } from '@digitalcredentials/security-document-loader';
import multikeyContext from '@digitalbazaar/multikey-context';
import { didDocument, didForOrigin } from './keys';

const MULTIKEY_CONTEXT = 'https://w3id.org/security/multikey/v1';

/**
 * A JSON-LD document loader that never touches the network: the VC 2.0, Open Badges 3.0,
 * Data Integrity and Bitstring Status List contexts come bundled with
 * @digitalcredentials/security-document-loader, the Multikey context with
 * @digitalbazaar/multikey-context, and the only DID it resolves is this instance's own, from
 * its key folder. Anything else is "not found" (another issuer cannot be checked offline).
 */
export function offlineLoader(origin: string, keys: { publicKeyMultibase: string }[]) {
	const loader = securityLoader();
	loader.addStatic(MULTIKEY_CONTEXT, multikeyContext.contexts.get(MULTIKEY_CONTEXT));
	const did = didForOrigin(origin);
	const doc = didDocument(origin, keys);
	loader.addStatic(did, doc);
	for (const method of doc.verificationMethod)
		loader.addStatic(method.id, { '@context': MULTIKEY_CONTEXT, ...method });
	loader.setProtocolHandler({
		protocol: 'did',
		handler: {
			async get({ url }: { url: string }) {
				throw new Error(`${url} is not this instance's key: it cannot be looked up offline`);
			}
		}
	});
	loader.setProtocolHandler({
		protocol: 'https',
		handler: {
			async get({ url }: { url: string }) {
				throw new Error(`${url} is not bundled: nothing is fetched from the network`);
			}
		}
	});
	return loader.build() as (url: string) => Promise<{ document: unknown }>;
}
