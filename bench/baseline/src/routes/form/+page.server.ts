import { redirect } from '@sveltejs/kit';
import { insertRow } from '$lib/server/db';
import type { Actions } from './$types';

export const actions: Actions = {
	// One durable row per post, then a 303 as Muster's actions answer: the bare cost of a write.
	default: () => {
		insertRow();
		redirect(303, '/form');
	}
};
