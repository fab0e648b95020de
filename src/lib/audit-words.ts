/** Audit events in words, for the audit pages: never raw action names or JSON. */
const ACTIONS: Record<string, string> = {
	'auth.sign_in': 'Signed in',
	'auth.sign_up': 'Created an account',
	'auth.sign_out': 'Signed out',
	'auth.sign_out_everywhere': 'Signed out everywhere',
	'auth.lockout': 'Sign-in locked',
	'auth.password_change': 'Changed password',
	'auth.reset_request': 'Asked for a password reset',
	'auth.reset_complete': 'Reset password',
	'user.disable': 'Disabled an account',
	'user.enable': 'Enabled an account',
	'admin.create_instance_admin': 'Created an instance administrator',
	'admin.reset_instance_admin': 'Reset an instance administrator',
	'certificate.revoke': 'Revoked a certificate',
	'course.complete': 'Completed a course',
	'group.create': 'Created a group',
	'invite.create': 'Created an invite',
	'invite.accept': 'Accepted an invite',
	'invite.revoke': 'Withdrew an invite',
	'membership.update': 'Changed a member',
	'org.create': 'Created an organization',
	'roster.import': 'Imported a roster'
};

const KEYS: Record<string, string> = {
	sessionsEnded: 'sessions ended',
	firstAdmin: 'first administrator',
	inviteId: 'invite',
	courseSlug: 'course',
	contentVersion: 'content version',
	certificateCode: 'certificate',
	until: 'until'
};

const VALUES: Record<string, string> = {
	wrong_password: 'wrong password',
	unknown_email: 'unknown email',
	ngo: 'NGO',
	admin: 'administrator',
	true: 'yes',
	false: 'no'
};

export function actionWords(action: string): string {
	return ACTIONS[action] ?? action.replace(/[._]+/g, ' ');
}

export function outcomeWords(outcome: string): string {
	return outcome === 'success'
		? 'Done'
		: outcome === 'failure'
			? 'Refused'
			: outcome.replace(/_/g, ' ');
}

/** A subject such as "membership 12" as "member 12". */
export function subjectWords(subject: string | null): string {
	if (!subject) return '';
	return subject.replace(/^membership /, 'member ').replace(/^org /, 'organization ');
}

function keyWords(key: string): string {
	return (
		KEYS[key] ??
		key
			.replace(/([a-z])([A-Z])/g, '$1 $2')
			.replace(/_/g, ' ')
			.toLowerCase()
	);
}

function valueWords(v: unknown): string {
	if (v === null || v === undefined) return '—';
	if (Array.isArray(v)) return v.length ? v.map(valueWords).join(', ') : 'none';
	if (typeof v === 'object') {
		const o = v as Record<string, unknown>;
		if ('from' in o && 'to' in o) return `from ${valueWords(o.from)} to ${valueWords(o.to)}`;
		return Object.entries(o)
			.map(([k, x]) => `${keyWords(k)} ${valueWords(x)}`)
			.join(', ');
	}
	const s = String(v);
	if (/^\d{4}-\d\d-\d\dT/.test(s)) return s.slice(0, 16).replace('T', ' ') + ' UTC';
	return VALUES[s] ?? s.replace(/_/g, ' ');
}

/** The detail of an event as short "label: value" lines. */
export function detailWords(detail: Record<string, unknown> | null): string[] {
	if (!detail) return [];
	return Object.entries(detail).map(([k, v]) => `${keyWords(k)}: ${valueWords(v)}`);
}
