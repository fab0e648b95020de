import { redirect, type RequestEvent } from '@sveltejs/kit';
import { and, eq, isNotNull } from 'drizzle-orm';
import { z } from 'zod';
import { ctx } from '../app';
import { sendEmailVerification } from '../auth/verify-email';
import { membership, organization } from '../db/schema';
import { failForm, parseForm } from '../forms';
import { listInvitationsFor, respondToInvitation } from '../orgs/invites';
import { findMyMembership, leaveOrganization, listMyMemberships } from './memberships';
import { changeName, personName } from './name';

// The consent and account sections of /me/account and the home page: their loads and actions
// live here, so the route files only spread them in (other sections of those pages are edited
// by others). Failed forms use their own error keys (`name`, `leave`, `invitation`).

type Event = Pick<RequestEvent, 'locals' | 'request' | 'url' | 'getClientAddress'>;

function viewer(event: Pick<RequestEvent, 'locals' | 'url'>) {
	const user = event.locals.user;
	if (!user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
	return user;
}

/** Pending invitations and the "confirm your email" notice, for the home page. */
export function invitationsLoad(event: Pick<RequestEvent, 'locals' | 'url'>) {
	const user = viewer(event);
	return {
		invitations: listInvitationsFor(ctx().db, user),
		emailVerified: user.emailVerified,
		verificationSent: event.url.searchParams.has('verification')
	};
}

/** Everything /me/account shows about organizations, invitations and the name. */
export function accountLoad(event: Pick<RequestEvent, 'locals' | 'url'>) {
	const user = viewer(event);
	const { db } = ctx();
	const memberships = listMyMemberships(db, user.id);
	const leaveSlug = event.url.searchParams.get('leave');
	const leftSlug = event.url.searchParams.get('left');
	const left = leftSlug
		? db
				.select({ name: organization.name })
				.from(membership)
				.innerJoin(organization, eq(organization.id, membership.orgId))
				.where(
					and(
						eq(membership.userId, user.id),
						eq(organization.slug, leftSlug),
						isNotNull(membership.leftAt)
					)
				)
				.get()?.name
		: undefined;
	return {
		name: user.name,
		memberships,
		// The confirmation step of leaving (a plain link, so it works without JavaScript).
		leaving: leaveSlug ? (memberships.find((m) => m.slug === leaveSlug) ?? null) : null,
		left: left ?? null,
		renamed: event.url.searchParams.has('renamed'),
		declined: event.url.searchParams.has('declined'),
		...invitationsLoad(event)
	};
}

const inviteForm = z.object({ invitation: z.coerce.number().int().positive() });

const refusals = {
	invalid: 'This invitation has expired or was withdrawn.',
	deactivated: 'An administrator deactivated your membership there. Ask them to reactivate it.',
	unverified: 'Confirm your email first: open the link we sent you.'
};

async function respond(event: Event, accept: boolean, back: string) {
	const user = viewer(event);
	const form = await parseForm(event.request, inviteForm);
	if (!form.ok) return failForm(400, { invitation: 'Choose an invitation from the list.' });
	const result = respondToInvitation(
		ctx().db,
		form.data.invitation,
		{ ...user, ip: event.getClientAddress() },
		accept
	);
	if (!result.ok) return failForm(400, { invitation: refusals[result.reason] });
	redirect(303, accept ? `/?joined=${encodeURIComponent(result.orgSlug)}` : `${back}?declined=1`);
}

/** Accept and decline, for both pages; `back` is where a decline returns to. */
export const invitationActions = (back: string) => ({
	accept: (event: Event) => respond(event, true, back),
	decline: (event: Event) => respond(event, false, back)
});

/** Sends a new verification link (at most five an hour). */
export async function resendVerification(event: Event) {
	const user = viewer(event);
	if (user.emailVerified) redirect(303, '/');
	const { db, config, mailer } = ctx();
	const sent = await sendEmailVerification(db, config, mailer, user.id);
	if (!sent)
		return failForm(429, {
			verification:
				'We sent several links in the last hour. Use the newest one, or try again later.'
		});
	redirect(303, '/?verification=sent');
}

export const accountActions = {
	...invitationActions('/me/account'),
	name: async (event: Event) => {
		const user = viewer(event);
		const form = await parseForm(event.request, z.object({ name: personName }), ['name']);
		if (!form.ok) return form.failure;
		changeName(ctx().db, user.id, form.data.name, event.getClientAddress());
		redirect(303, '/me/account?renamed=1');
	},
	leave: async (event: Event) => {
		const user = viewer(event);
		const form = await parseForm(
			event.request,
			z.object({ org: z.string().max(100), confirm: z.literal('yes').optional() })
		);
		if (!form.ok) return failForm(400, { leave: 'Choose an organization from the list.' });
		const slug = form.data.org;
		if (!findMyMembership(ctx().db, user.id, slug))
			return failForm(400, { leave: 'You are not a member of that organization.' });
		if (!form.data.confirm) redirect(303, `/me/account?leave=${encodeURIComponent(slug)}#leave`);
		const result = leaveOrganization(ctx().db, user.id, slug, event.getClientAddress());
		if (!result.ok)
			return failForm(400, {
				leave:
					result.reason === 'last_admin'
						? 'You are its last administrator. Make someone else an administrator first.'
						: 'You are not a member of that organization.'
			});
		redirect(303, `/me/account?left=${encodeURIComponent(slug)}`);
	}
};
