import type { Cookies } from '@sveltejs/kit';
import { SESSION_COOKIE } from './session';
import { MFA_COOKIE } from '../mfa/pending';

/**
 * HttpOnly, SameSite=Lax; SvelteKit marks cookies Secure except on http://localhost, which
 * is what a local install needs and what production over HTTPS must have.
 */
export function setSessionCookie(cookies: Cookies, token: string, expiresAt: Date): void {
	cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		expires: expiresAt
	});
}

export function clearSessionCookie(cookies: Cookies): void {
	cookies.delete(SESSION_COOKIE, { path: '/' });
}

/** The half-session between password and second factor: sent to the sign-in pages only. */
export function setPendingCookie(cookies: Cookies, token: string, expiresAt: Date): void {
	cookies.set(MFA_COOKIE, token, {
		path: '/login',
		httpOnly: true,
		sameSite: 'lax',
		expires: expiresAt
	});
}

export function clearPendingCookie(cookies: Cookies): void {
	cookies.delete(MFA_COOKIE, { path: '/login' });
}
