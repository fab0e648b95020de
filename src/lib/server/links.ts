import type { Config } from './config';
import type { Mailer, Message } from './mail';
import { publicLink } from './public-origin';

/**
 * Mails a message that carries a link to `path` on the configured public origin. When no origin
 * is configured nothing is sent (public-origin.ts logs why): a link built from the request's
 * headers could point anywhere. Returns whether the message went out.
 */
export async function sendWithLink(
	config: Pick<Config, 'origin' | 'originFromHeaders'>,
	mailer: Mailer,
	path: string,
	message: (link: string) => Message
): Promise<boolean> {
	const link = publicLink(config, path);
	if (!link) return false;
	await mailer.send(message(link));
	return true;
}
