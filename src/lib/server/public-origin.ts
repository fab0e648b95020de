import type { Config } from './config';

/**
 * The one place that decides where emailed links point: the configured public origin
 * (MUSTER_ORIGIN, else ORIGIN), never a request's Host or X-Forwarded-* headers, which a
 * client can set. Null when none is configured: callers then refuse to send the mail.
 */
export function publicOrigin(config: Pick<Config, 'origin'>): string | null {
	return config.origin ?? null;
}

/** What the operator reads when a mail with a link could not be sent, and at start-up. */
export function missingOriginMessage(config: Pick<Config, 'originFromHeaders'>): string {
	return config.originFromHeaders
		? 'Muster: PROTOCOL_HEADER/HOST_HEADER are set but ORIGIN (or MUSTER_ORIGIN) is not. ' +
				'Emails with links (password resets, invitations) will NOT be sent: a link built from ' +
				'request headers could point to an attacker. Set MUSTER_ORIGIN to the public https:// address.'
		: 'Muster: ORIGIN (or MUSTER_ORIGIN) is not set. Emails with links (password resets, ' +
				'invitations) will NOT be sent until it is: set it to the public https:// address.';
}

/**
 * An absolute link to `path` on the public origin, or null (with a log line saying why)
 * when no origin is configured.
 */
export function publicLink(
	config: Pick<Config, 'origin' | 'originFromHeaders'>,
	path: string
): string | null {
	const origin = publicOrigin(config);
	if (!origin) {
		console.error(`[mail] not sent: ${missingOriginMessage(config)}`);
		return null;
	}
	return new URL(path, origin).href;
}

/** The message for a form whose emails could not be sent for want of a public origin. */
export const NO_ORIGIN_FORM_MESSAGE =
	'Emails cannot be sent: this server has no public address configured (ORIGIN). ' +
	'Ask the person who runs Muster to set it.';
