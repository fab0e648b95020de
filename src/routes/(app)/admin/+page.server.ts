import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { ctx } from '$lib/server/app';
import { listAuditTrail, listOutbox, searchUsers } from '$lib/server/admin';
import { failForm, parseForm } from '$lib/server/forms';
import { setUserDisabled } from '$lib/server/users';
import type { Actions, PageServerLoad } from './$types';

function requireInstanceAdmin(locals: App.Locals): { id: number } {
	if (!locals.user?.isInstanceAdmin) error(403, 'Only instance administrators can open this page.');
	return locals.user;
}

export const load: PageServerLoad = ({ locals, url }) => {
	requireInstanceAdmin(locals);
	const { db } = ctx();
	const q = (url.searchParams.get('q') ?? '').slice(0, 254);
	return {
		q,
		users: searchUsers(db, q),
		outbox: listOutbox(db),
		audit: listAuditTrail(db).map((a) => ({
			...a,
			detail: a.detail ? JSON.stringify(a.detail) : ''
		}))
	};
};

const toggle = z.object({
	userId: z.coerce.number({ error: 'Choose an account.' }).int().positive('Choose an account.')
});

async function setDisabled(event: Parameters<Actions[string]>[0], disabled: boolean) {
	const admin = requireInstanceAdmin(event.locals);
	const form = await parseForm(event.request, toggle);
	if (!form.ok) return form.failure;
	if (form.data.userId === admin.id) {
		return failForm(400, { form: 'You cannot disable your own account.' });
	}
	const { db } = ctx();
	if (
		!setUserDisabled(db, form.data.userId, disabled, {
			actorId: admin.id,
			ip: event.getClientAddress()
		})
	) {
		return failForm(404, { form: 'That account does not exist.' });
	}
	return {
		done: disabled ? 'The account is disabled and its sessions ended.' : 'The account is enabled.'
	};
}

export const actions: Actions = {
	disable: (event) => setDisabled(event, true),
	enable: (event) => setDisabled(event, false)
};
