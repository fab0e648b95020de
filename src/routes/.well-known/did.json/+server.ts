import { json } from '@sveltejs/kit';
import { ctx } from '$lib/server/app';
import { didDocument, publicKeys } from '$lib/server/credentials/keys';
import type { RequestHandler } from './$types';

/**
 * The instance's did:web document: every signing key it ever had (old keys stay, so what
 * they signed still verifies). Wallets and verifiers resolve `did:web:<host>` here.
 */
export const GET: RequestHandler = ({ url }) => {
	const { config } = ctx();
	return json(didDocument(config.origin ?? url.origin, publicKeys(config.keysDir)), {
		headers: { 'Cache-Control': 'public, max-age=300', 'Access-Control-Allow-Origin': '*' }
	});
};
