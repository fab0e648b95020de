// Muster's production server: adapter-node's request handler (build/handler.js) behind a
// compression middleware, with adapter-node's own listening and graceful shutdown. Everything
// that starts Muster runs this file: `npm start` (scripts/start.js), the end-to-end, durability
// and deployment tests, and the benchmark.
//
// - Pages, JSON and CSV are compressed (brotli or gzip, whichever the client's Accept-Encoding
//   prefers; brotli at quality 4, gzip at level 6) when they are larger than 1 KB. Responses
//   that already have a Content-Encoding are left alone: the built assets, which the handler
//   serves from their precompressed .br/.gz files. PDFs and images are not compressed.
// - COMPRESSION=off turns it off, for a reverse proxy that compresses itself.
// - Listening (PORT, HOST, SOCKET_PATH, systemd socket activation), KEEP_ALIVE_TIMEOUT,
//   HEADERS_TIMEOUT and the shutdown on SIGTERM/SIGINT (SHUTDOWN_TIMEOUT, IDLE_TIMEOUT, then
//   the `sveltekit:shutdown` event that closes the database and the jobs) are those of
//   adapter-node's build/index.js (adapter-node 5.5), copied here with polka left out.
import compression from 'compression';
import { existsSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import http from 'node:http';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath, format, pathToFileURL } from 'node:url';

/**
 * @typedef {(req: http.IncomingMessage, res: http.ServerResponse, next: (err?: unknown) => void) => void} Middleware
 */

const build = join(dirname(fileURLToPath(import.meta.url)), '..', 'build');
if (!existsSync(join(build, 'handler.js'))) {
	console.error('No build found: run `npm run build` first (npm start does it for you).');
	process.exit(1);
}

/** Reads COMPRESSION: `on` (the default) or `off`; anything else stops the server. */
function compressionEnabled(value = process.env.COMPRESSION) {
	const v = (value ?? 'on').trim().toLowerCase();
	if (v === 'on' || v === '') return true;
	if (v === 'off') return false;
	throw new Error(`Invalid value for environment variable COMPRESSION: "${value}" (on or off)`);
}

// Checked before the application starts, so a typo stops the server at once.
// (Typed for Express, the middleware only uses what node:http's request and response have.)
const compress = compressionEnabled()
	? /** @type {Middleware} */ (/** @type {unknown} */ (compression({ threshold: 1024 })))
	: null;

// Computed paths keep the type checker out of the generated build. Importing the handler
// starts the SvelteKit server (its `init` hook opens the database) before we listen.
/** @type {{ handler: Middleware }} */
const { handler } = await import(pathToFileURL(join(build, 'handler.js')).href);
/** @type {{ env: (name: string, fallback?: unknown) => any, timeout_env: (name: string) => number | undefined }} */
const { env, timeout_env } = await import(pathToFileURL(join(build, 'env.js')).href);

/** Answers what no middleware handled, like polka does. */
function fail(/** @type {http.ServerResponse} */ res, /** @type {unknown} */ err) {
	if (err) console.error(err);
	if (res.headersSent) {
		res.destroy();
		return;
	}
	res.statusCode = err ? 500 : 404;
	res.end(err ? 'Internal Error' : 'Not Found');
}

/** @type {http.RequestListener} */
function app(req, res) {
	const next = (/** @type {unknown} */ err) => fail(res, err);
	const serve = (/** @type {unknown} */ err = undefined) => {
		if (err) return fail(res, err);
		try {
			handler(req, res, next);
		} catch (e) {
			fail(res, e);
		}
	};
	if (compress) compress(req, res, serve);
	else serve();
}

// From here on as adapter-node's build/index.js.
const path = env('SOCKET_PATH', false);
const host = env('HOST', '0.0.0.0');
const port = env('PORT', !path && '3000');

const shutdown_timeout = parseInt(env('SHUTDOWN_TIMEOUT', '30'));
const idle_timeout = parseInt(env('IDLE_TIMEOUT', '0'));
const listen_pid = parseInt(env('LISTEN_PID', '0'));
const listen_fds = parseInt(env('LISTEN_FDS', '0'));
// https://www.freedesktop.org/software/systemd/man/latest/sd_listen_fds.html
const SD_LISTEN_FDS_START = 3;

if (listen_pid !== 0 && listen_pid !== process.pid) {
	throw new Error(`received LISTEN_PID ${listen_pid} but current process id is ${process.pid}`);
}
if (listen_fds > 1) {
	throw new Error(
		`only one socket is allowed for socket activation, but LISTEN_FDS was set to ${listen_fds}`
	);
}

const socket_activation = listen_pid === process.pid && listen_fds === 1;

let requests = 0;
/** @type {NodeJS.Timeout | void} */
let shutdown_timeout_id;
/** @type {NodeJS.Timeout | void} */
let idle_timeout_id;

const httpServer = http.createServer();

const keep_alive_timeout = timeout_env('KEEP_ALIVE_TIMEOUT');
if (keep_alive_timeout !== undefined) {
	httpServer.keepAliveTimeout = keep_alive_timeout * 1000;
}

const headers_timeout = timeout_env('HEADERS_TIMEOUT');
if (headers_timeout !== undefined) {
	httpServer.headersTimeout = headers_timeout * 1000;
}

httpServer.on('request', app);

if (socket_activation) {
	httpServer.listen({ fd: SD_LISTEN_FDS_START }, () => {
		console.log(`Listening on file descriptor ${SD_LISTEN_FDS_START}`);
	});
} else {
	if (path) {
		try {
			if (statSync(path).size === 0) {
				await rm(path);
			}
		} catch {
			// ignore
		}
	}

	httpServer.listen({ path, host, port }, () => {
		console.log(`Listening on ${listening(path, host, port, httpServer.address())}`);
	});
}

/**
 * @param {string | false} path
 * @param {string} host
 * @param {string} port
 * @param {ReturnType<http.Server['address']>} address
 */
function listening(path, host, port, address) {
	if (path) return path;
	if (address && typeof address === 'object') {
		return format({ protocol: 'http:', hostname: address.address, port: address.port });
	}
	return format({ protocol: 'http:', hostname: host, port: String(port) });
}

/** @param {'SIGINT' | 'SIGTERM' | 'IDLE'} reason */
function graceful_shutdown(reason) {
	if (shutdown_timeout_id) return;

	// If a connection was opened with a keep-alive header close() will wait for the connection to
	// time out rather than close it even if it is not handling any requests, so call this first
	httpServer.closeIdleConnections();

	httpServer.close((error) => {
		// occurs if the server is already closed
		if (error) return;

		if (shutdown_timeout_id) {
			clearTimeout(shutdown_timeout_id);
		}
		if (idle_timeout_id) {
			clearTimeout(idle_timeout_id);
		}

		// hooks.server.ts listens for this to close the database and stop the jobs.
		/** @type {(event: string, reason: string) => boolean} */ (process.emit)(
			'sveltekit:shutdown',
			reason
		);
	});

	shutdown_timeout_id = setTimeout(() => httpServer.closeAllConnections(), shutdown_timeout * 1000);
}

httpServer.on('request', (req) => {
	requests++;

	if (socket_activation && idle_timeout_id) {
		idle_timeout_id = clearTimeout(idle_timeout_id);
	}

	req.on('close', () => {
		requests--;

		if (shutdown_timeout_id) {
			// close connections as soon as they become idle, so they don't accept new requests
			httpServer.closeIdleConnections();
		}
		if (requests === 0 && socket_activation && idle_timeout) {
			idle_timeout_id = setTimeout(() => graceful_shutdown('IDLE'), idle_timeout * 1000);
		}
	});
});

process.on('SIGTERM', graceful_shutdown);
process.on('SIGINT', graceful_shutdown);
