import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { ctx } from '$lib/server/app';
import { findUserById } from '$lib/server/admin';
import { requireInstanceAdmin } from '$lib/server/auth/guard';
import { failForm, parseForm } from '$lib/server/forms';
import { setUserDisabled } from '$lib/server/users';
import type { Actions, PageServerLoad } from './$types';

// The second page of disabling an account: it says what will happen and asks to confirm.
export const load: PageServerLoad = ({ locals, params }) => {
	const admin = requireInstanceAdmin(locals);
	const account = findUserById(ctx().db, Number(params.id));
	if (!account) error(404, 'There is no such account.');
	return { account, self: account.id === admin.id };
};

const confirm = z.object({ confirm: z.literal('yes', { error: 'Confirm first.' }) });

async function setDisabled(event: Parameters<Actions[string]>[0], disabled: boolean) {
	const admin = requireInstanceAdmin(event.locals);
	const form = await parseForm(event.request, confirm);
	if (!form.ok) return form.failure;
	const userId = Number(event.params.id);
	// An administrator who disabled themselves would be locked out of the tool that undoes it.
	if (disabled && userId === admin.id) {
		return failForm(400, { form: 'You cannot disable your own account.' });
	}
	if (
		!setUserDisabled(ctx().db, userId, disabled, {
			actorId: admin.id,
			ip: event.getClientAddress()
		})
	) {
		error(404, 'There is no such account.');
	}
	return {
		done: disabled ? 'The account is disabled and its sessions ended.' : 'The account is enabled.'
	};
}

export const actions: Actions = {
	disable: (event) => setDisabled(event, true),
	enable: (event) => setDisabled(event, false)
};
