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
			'Open this link to create your account, or sign in, and accept or decline. If you already have an account, the invitation also waits on your home page. Until you accept, the organization sees nothing of your training.',
			'',
			link,
			'',
			'If you did not expect this, ignore this message.'
		].join('\n')
	};
}
