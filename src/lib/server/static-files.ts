import fs from 'node:fs';
import { ServerResponse } from 'node:http';
import { syncBuiltinESMExports } from 'node:module';

let installed = false;

/**
 * adapter-node serves build/client with sirv, which lists the files once at start-up and then
 * pipes `fs.createReadStream(file)` into the response with no error handler. When a new build
 * replaces the folder under a running server, a request for an old file (a browser still on
 * the previous version asking for /_app/immutable/…) made that stream emit an unhandled
 * 'error', which stopped the whole server. This wraps the streams piped into responses: a file
 * that is gone is answered 404 (nothing has been sent yet: sirv only staged its headers), and
 * any later read error ends that one response instead of the process.
 */
export function guardStaticFiles(): void {
	if (installed) return;
	installed = true;
	const create = fs.createReadStream;
	const wrapped = function (this: unknown, ...args: Parameters<typeof fs.createReadStream>) {
		const stream = create.apply(this, args);
		const path = args[0];
		const pipe = stream.pipe;
		stream.pipe = function <T extends NodeJS.WritableStream>(dest: T, opts?: { end?: boolean }): T {
			if (!(dest instanceof ServerResponse)) return pipe.call(this, dest, opts) as T;
			const res = dest as ServerResponse;
			stream.once('error', (error) => {
				if (res.writableEnded) return;
				console.error(`[static] ${String(path)}: ${error.message}`);
				if (!notFound(res)) res.destroy();
			});
			if (typeof path === 'string' && !fs.existsSync(path)) {
				console.error(
					`[static] ${path} is gone: was the build replaced under the running server? Restart it.`
				);
				stream.destroy();
				if (!notFound(res)) res.destroy();
				return dest;
			}
			return pipe.call(this, dest, opts) as T;
		};
		return stream;
	};
	fs.createReadStream = wrapped as typeof fs.createReadStream;
	// The handler imports `node:fs` as a module namespace: make its binding see the wrapper.
	syncBuiltinESMExports();
}

/** Replaces sirv's staged 200 (not yet sent) with a 404; false when that is no longer possible. */
function notFound(res: ServerResponse): boolean {
	const staged = res as unknown as { _header: string | null; _headerSent?: boolean };
	if (res.writableEnded || staged._headerSent) return false;
	if (typeof staged._header !== 'string') return false;
	staged._header = null;
	for (const name of res.getHeaderNames()) res.removeHeader(name);
	res.writeHead(404, {
		'Content-Type': 'text/plain; charset=utf-8',
		'Cache-Control': 'no-store',
		'Content-Length': '9'
	});
	res.end('Not found');
	return true;
}
