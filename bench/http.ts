import type { Server } from './servers';

/** The client address of the measured traffic (adapter-node reads it from X-Forwarded-For). */
export const LEARNER_ADDRESS = '198.51.100.7';
/** The flood's address: another client, so only its own sign-ins are paused. */
export const FLOOD_ADDRESS = '203.0.113.66';

/** What a browser without JavaScript sends with a form post that passes SvelteKit's CSRF check. */
export function formHeaders(server: Server, address = LEARNER_ADDRESS): Record<string, string> {
	return {
		'content-type': 'application/x-www-form-urlencoded',
		accept: 'text/html',
		origin: server.origin,
		'x-forwarded-for': address
	};
}

/** Signs in through the real form and returns the session cookie to send back. */
export async function signIn(server: Server, email: string, password: string): Promise<string> {
	const res = await fetch(`${server.url}/login`, {
		method: 'POST',
		headers: formHeaders(server),
		body: new URLSearchParams({ email, password }),
		redirect: 'manual'
	});
	const cookie = res.headers.getSetCookie().find((c) => c.startsWith('muster_session='));
	if (res.status !== 303 || !cookie) {
		throw new Error(
			`sign-in as ${email} answered ${res.status}: ${(await res.text()).slice(0, 300)}`
		);
	}
	return cookie.split(';')[0]!;
}

/** GETs a page and insists on the status, so a scenario never measures a redirect to /login. */
export async function fetchPage(
	server: Server,
	path: string,
	cookie: string | undefined,
	expect = 200
): Promise<string> {
	const headers: Record<string, string> = { 'x-forwarded-for': LEARNER_ADDRESS };
	if (cookie) headers.cookie = cookie;
	const res = await fetch(server.url + path, { headers, redirect: 'manual' });
	const text = await res.text();
	if (res.status !== expect) throw new Error(`GET ${path} answered ${res.status}, not ${expect}`);
	return text;
}
