import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { ctx } from '../app';
import type { Role } from '../db/schema';
import { orgAccess, ROLE_RANK, type OrgAccess } from './access';

/**
 * The one check every load and action under /orgs/[org] makes: signed in, a member (or an
 * instance administrator), and at least `min` in role. Outsiders get 404, so an organization's
 * existence is not revealed; members without the role get 403.
 */
export function requireOrg(
	event: Pick<RequestEvent, 'locals' | 'params' | 'url'>,
	min: Role
): OrgAccess {
	const user = event.locals.user;
	if (!user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
	const slug = (event.params as { org?: string }).org ?? '';
	const access = orgAccess(ctx().db, user, slug);
	if (!access) error(404, 'There is no such organization.');
	if (ROLE_RANK[access.role] < ROLE_RANK[min]) {
		error(
			403,
			`This page is for ${min === 'admin' ? 'administrators' : 'supervisors and administrators'} of ${access.org.name}.`
		);
	}
	return access;
}
