import type { Message } from '../mail';

export function inviteMessage(
	orgName: string,
	to: string,
	link: string,
	instanceName: string
): Message {
	return {
		to,
		subject: `You are invited to ${orgName} on ${instanceName}`,
		text: [
			'Hello,',
			'',
			`${orgName} invites you to its training on ${instanceName}.`,
			'Open this link to create your account (or sign in) and join. It works once and expires in 14 days.',
			'',
			link,
			'',
			'If you did not expect this, ignore this message.'
		].join('\n')
	};
}
