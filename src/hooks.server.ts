import {
	error,
	json,
	redirect,
	type Handle,
	type HandleServerError,
	type ServerInit
} from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { building } from '$app/environment';
import { ctx, startApp, stopApp } from '$lib/server/app';
import { scheduleBackups } from '$lib/server/backup';
import { scheduleChainChecks } from '$lib/server/records/check';
import { loadKeys } from '$lib/server/credentials/keys';
import { catalog } from '$lib/server/courses';
import { scheduleReminders } from '$lib/server/training/schedule';
import { closeRenderPool, startRenderPool } from '$lib/server/certificates/render-pool';
import { SESSION_COOKIE, validateSessionToken } from '$lib/server/auth/session';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { createTokenBucket } from '$lib/server/token-bucket';
import { guardStaticFiles } from '$lib/server/static-files';
import { missingOriginMessage, publicOrigin } from '$lib/server/public-origin';
import { mfaGateOpen } from '$lib/server/mfa/gate';
import { requirementTitles } from '$lib/server/training/describe';

export const init: ServerInit = async () => {
	if (building) return;
	guardStaticFiles();
	const app = await startApp();
	if (!publicOrigin(app.config)) console.error(missingOriginMessage(app.config));
	// The instance's signing key: created on first start, in a file outside the database.
	await loadKeys(app.config.keysDir);
	startRenderPool();
	const stopBackups = scheduleBackups(app.db.$client, app.config.backup);
	const stopChainChecks = scheduleChainChecks(app.db, app.config.databaseUrl);
	// Reminders carry links, which come from the configured public origin only (M2): without
	// one, none are scheduled (the line above has said why).
	const origin = publicOrigin(app.config);
	const stopReminders = origin
		? scheduleReminders(app, app.config.remindersCron, {
				origin,
				instanceName: app.config.instanceName,
				titles: requirementTitles(catalog)
			})
		: async () => {};
	// adapter-node emits this after it stops accepting and in-flight requests finish; a backup
	// under way finishes before the database is checkpointed and closed, and PDF renders still
	// queued finish before the worker threads stop.
	process.once('sveltekit:shutdown' as 'exit', () => {
		stopChainChecks();
		void Promise.all([stopBackups(), stopReminders(), closeRenderPool()]).finally(stopApp);
	});
};

/** Posts that cost a password hash or a database look-up per request: the flood's targets. */
function isCredentialPost(method: string, pathname: string): boolean {
	return (
		method === 'POST' &&
		(pathname === '/login' || pathname === '/reset' || pathname.startsWith('/reset/'))
	);
}

let bucket: ReturnType<typeof createTokenBucket> | undefined;

/**
 * Reads and drops a request body nobody read (a refused post, a redirect to sign-in, a form
 * action that does not exist). Left unread, the rest of a large body stalls the kept-alive
 * connection and the client's next request on it fails. Nothing is parsed; the server's body
 * limit still applies.
 */
async function discardUnreadBody(request: Request): Promise<void> {
	if (!request.body || request.bodyUsed) return;
	try {
		const reader = request.body.getReader();
		while (!(await reader.read()).done);
	} catch {
		// over the limit or cut off: nothing to keep
	}
}

/**
 * First in line: a flood of sign-in (or reset) posts from one address is refused here, from
 * memory, before the body is parsed or the session looked up. The database throttle behind it
 * still decides every attempt that passes. The bucket is large enough for a shift behind one
 * address to sign in at once (SIGNIN_BUCKET_SIZE, SIGNIN_BUCKET_PER_MINUTE).
 */
const floodGuard: Handle = async ({ event, resolve }) => {
	if (isCredentialPost(event.request.method, event.url.pathname)) {
		const { signIn } = ctx().config;
		bucket ??= createTokenBucket({ size: signIn.bucketSize, perMinute: signIn.bucketPerMinute });
		const taken = bucket.take(event.getClientAddress());
		if (!taken.ok) {
			await discardUnreadBody(event.request);
			return tooMany(event.request, event.url.pathname, taken.retryAfterSeconds);
		}
	}
	try {
		return await resolve(event);
	} finally {
		await discardUnreadBody(event.request);
	}
};

function tooMany(request: Request, pathname: string, retryAfterSeconds: number): Response {
	const message = 'Too many attempts from your network just now. Wait a minute and try again.';
	const headers = { 'Retry-After': String(retryAfterSeconds), 'Cache-Control': 'no-store' };
	// use:enhance reads an action result; a plain form post gets a page.
	if (request.headers.get('x-sveltekit-action') === 'true') {
		return json({ type: 'error', error: { message } }, { status: 429, headers });
	}
	return new Response(
		`<!doctype html><html lang="en"><meta charset="utf-8"><title>Too many attempts · Muster</title>` +
			`<h1>Too many attempts</h1><p>${message}</p><p><a href="${pathname}">Back</a></p></html>`,
		{ status: 429, headers: { ...headers, 'Content-Type': 'text/html; charset=utf-8' } }
	);
}

/**
 * The usual security headers; the Content-Security-Policy comes from svelte.config.js. A header
 * a route set itself (for example `Referrer-Policy: no-referrer` on /verify and /join) is kept.
 */
const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const h = response.headers;
	const byDefault = (name: string, value: string) => {
		if (!h.has(name)) h.set(name, value);
	};
	byDefault('X-Content-Type-Options', 'nosniff');
	byDefault('Referrer-Policy', 'strict-origin-when-cross-origin');
	byDefault('X-Frame-Options', 'DENY');
	byDefault('Cross-Origin-Opener-Policy', 'same-origin');
	byDefault('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
	if (event.url.protocol === 'https:') {
		h.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
	}
	// Signed-in pages hold personal records: never keep them in a shared device's cache.
	if (event.locals.user && !h.has('Cache-Control')) h.set('Cache-Control', 'private, no-store');
	return response;
};

/**
 * `?/default` names SvelteKit's reserved action: it throws (a 500) on every page with actions.
 * Names of Object.prototype (`?/constructor`, `?/__proto__`, `?/toString`) are found on every
 * actions object and were called as actions (500s too). Both answer what they are: a form action
 * that does not exist.
 */
const reservedAction: Handle = async ({ event, resolve }) => {
	if (event.request.method === 'POST') {
		for (const [key] of event.url.searchParams) {
			if (!key.startsWith('/')) continue;
			const name = key.slice(1);
			if (name === 'default' || name in Object.prototype) {
				error(404, 'There is no such form action.');
			}
			break;
		}
	}
	return resolve(event);
};

const auth: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.session = null;
	const token = event.cookies.get(SESSION_COOKIE);
	if (token) {
		const { db, config } = ctx();
		const result = validateSessionToken(db, config, token);
		if (result) {
			event.locals.user = result.user;
			event.locals.session = result.session;
			// The cookie's expiry follows the idle window, which moves at most once a minute:
			// re-sent then, not with every response.
			if (result.session.touched) setSessionCookie(event.cookies, token, result.session.expiresAt);
		} else {
			event.cookies.delete(SESSION_COOKIE, { path: '/' });
		}
	}
	return resolve(event);
};

/**
 * The pages of the (app) group are for signed-in people. Checked here, where every request to
 * them passes (page, `__data.json` and form action alike), not only in the group's layout, whose
 * load runs beside the pages' loads rather than before them.
 */
const signedIn: Handle = async ({ event, resolve }) => {
	if (event.locals.user || !event.route.id?.startsWith('/(app)')) return resolve(event);
	if (event.isDataRequest) {
		return json(
			{ message: 'Sign in to see this page.' },
			{ status: 401, headers: { 'Cache-Control': 'no-store' } }
		);
	}
	// Back to the page after signing in; a form post starts again from its page.
	const back = event.url.pathname + (event.request.method === 'GET' ? event.url.search : '');
	redirect(303, `/login?next=${encodeURIComponent(back)}`);
};

/**
 * A session that signed in without the second factor its account needs opens the enrolment
 * page and sign-out only. Data requests reach the (app) layout's load, which redirects the
 * same way in the form the client router understands.
 */
const mfaEnrolmentGate: Handle = async ({ event, resolve }) => {
	if (event.locals.session?.mustEnrolMfa && !event.isDataRequest && !mfaGateOpen(event.url)) {
		const next = event.url.pathname + event.url.search;
		return new Response(null, {
			status: 303,
			headers: { location: `/me/account/mfa?next=${encodeURIComponent(next)}` }
		});
	}
	return resolve(event);
};

export const handle = sequence(
	floodGuard,
	securityHeaders,
	reservedAction,
	auth,
	signedIn,
	mfaEnrolmentGate
);

const MESSAGES: Record<number, string> = {
	400: 'The request could not be read. Please go back and try again.',
	401: 'Sign in to see this page.',
	403: 'You do not have access to this page.',
	404: 'Not found',
	405: 'That page does not accept this kind of request.',
	413: 'What was sent is too large.',
	415: 'Forms must be sent as form data (application/x-www-form-urlencoded or multipart/form-data).'
};

export const handleError: HandleServerError = ({ error, event, status }) => {
	if (status >= 500) console.error(`[${event.request.method} ${event.url.pathname}]`, error);
	return {
		message:
			MESSAGES[status] ??
			(status < 500
				? 'The request could not be handled. Please go back and try again.'
				: 'Something went wrong on our side. Please try again.')
	};
};
