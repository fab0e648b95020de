import type { Config } from './config';

/**
 * The one place emailed links are built: the configured public origin (ORIGIN), else the
 * request's. Every mail with a link (invitations, verification) goes through here, so
 * hardening the origin rule is a change to this function only.
 */
export function publicLink(config: Pick<Config, 'origin'>, requestUrl: URL, path: string): string {
	return new URL(path, config.origin ?? requestUrl.origin).href;
}
