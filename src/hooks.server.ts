import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { building } from '$app/environment';
import { ctx, startApp, stopApp } from '$lib/server/app';
import { scheduleBackups } from '$lib/server/backup';
import { catalog } from '$lib/server/courses';
import { scheduleReminders } from '$lib/server/training/schedule';
import { SESSION_COOKIE, validateSessionToken } from '$lib/server/auth/session';
import { setSessionCookie } from '$lib/server/auth/cookie';

export const init: ServerInit = async () => {
	if (building) return;
	const app = await startApp();
	const stopBackups = scheduleBackups(app.db.$client, app.config.backup);
	const stopReminders = scheduleReminders(app, app.config.remindersCron, {
		origin: app.config.origin ?? `http://localhost:${process.env.PORT ?? 3000}`,
		instanceName: app.config.instanceName,
		titles: new Map(catalog.courses.map((c) => [c.slug, c.meta.title]))
	});
	// adapter-node emits this after it stops accepting and in-flight requests finish; a backup
	// under way finishes before the database is checkpointed and closed.
	process.once(
		'sveltekit:shutdown' as 'exit',
		() => void Promise.all([stopBackups(), stopReminders()]).finally(stopApp)
	);
};

/** The usual security headers; the Content-Security-Policy comes from svelte.config.js. */
const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const h = response.headers;
	h.set('X-Content-Type-Options', 'nosniff');
	h.set('Referrer-Policy', 'strict-origin-when-cross-origin');
	h.set('X-Frame-Options', 'DENY');
	h.set('Cross-Origin-Opener-Policy', 'same-origin');
	h.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
	if (event.url.protocol === 'https:') {
		h.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
	}
	// Signed-in pages hold personal records: never keep them in a shared device's cache.
	if (event.locals.user && !h.has('Cache-Control')) h.set('Cache-Control', 'private, no-store');
	return response;
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
			setSessionCookie(event.cookies, token, result.session.expiresAt);
		} else {
			event.cookies.delete(SESSION_COOKIE, { path: '/' });
		}
	}
	return resolve(event);
};

export const handle = sequence(securityHeaders, auth);

export const handleError: HandleServerError = ({ error, event, status }) => {
	if (status !== 404) console.error(`[${event.request.method} ${event.url.pathname}]`, error);
	return {
		message: status === 404 ? 'Not found' : 'Something went wrong on our side. Please try again.'
	};
};
