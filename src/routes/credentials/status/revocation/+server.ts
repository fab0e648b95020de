import { ctx } from '$lib/server/app';
import { statusListJson } from '$lib/server/credentials';
import type { RequestHandler } from './$types';

/** The signed Bitstring Status List of revoked certificates, current at every request. */
export const GET: RequestHandler = async ({ url }) => {
	const { db, config } = ctx();
	const text = await statusListJson(db, {
		origin: config.origin ?? url.origin,
		keysDir: config.keysDir
	});
	return new Response(text + '\n', {
		headers: {
			'Content-Type': 'application/json; charset=utf-8',
			'Cache-Control': 'no-cache',
			'Access-Control-Allow-Origin': '*'
		}
	});
};
