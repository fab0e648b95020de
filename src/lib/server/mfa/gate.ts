/** The pages a session held at MFA enrolment may open: enrolment itself and signing out. */
export function mfaGateOpen(url: URL): boolean {
	const path = url.pathname;
	return (
		path === '/me/account/mfa' ||
		path.startsWith('/me/account/mfa/') ||
		path === '/logout' ||
		path.startsWith('/logout/')
	);
}
