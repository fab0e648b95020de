// Starts the built server (build/) with local defaults: port 3000 and, unless the operator says
// otherwise, the origin http://localhost:PORT so that form posts pass SvelteKit's CSRF check.
// Behind a proxy, set ORIGIN (or PROTOCOL_HEADER and HOST_HEADER) as adapter-node documents.
import { existsSync } from 'node:fs';

if (!existsSync('build/handler.js')) {
	console.error('No build found: run `npm run build` first (npm start does it for you).');
	process.exit(1);
}
process.env.PORT ??= '3000';
// Roster files of a few thousand rows are larger than adapter-node's 512 KB default.
process.env.BODY_SIZE_LIMIT ??= '5M';
if (!process.env.ORIGIN && !process.env.PROTOCOL_HEADER) {
	process.env.ORIGIN = `http://localhost:${process.env.PORT}`;
}
console.info(`Muster: open ${process.env.ORIGIN ?? 'the configured origin'} in a browser`);
// The server: adapter-node's handler behind compression, with adapter-node's graceful shutdown.
await import('./server.js');
