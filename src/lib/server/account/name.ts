import { z } from 'zod';
import { eq } from 'drizzle-orm';
import type { DB } from '../db';
import { user } from '../db/schema';
import { recordAudit } from '../audit';
import { NAME_MAX } from '../users';

/**
 * Characters a name may not hold: C0/C1 controls (NUL, tab, line breaks, DEL), line and
 * paragraph separators, and the bidirectional overrides that can make a name display as
 * something else on a certificate or a roster.
 */
const FORBIDDEN = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/** A person's name as typed into a form: trimmed, 1–120 characters, no control characters. */
export const personName = z
	.string({ error: (i) => (i.input === undefined ? 'Name is required.' : 'Name must be text.') })
	.refine((v) => !FORBIDDEN.test(v), {
		message:
			'Use letters, spaces and punctuation only: the name holds an invisible control character.'
	})
	.transform((v) => v.trim())
	.pipe(
		z
			.string()
			.min(1, 'Name is required.')
			.max(NAME_MAX, `Name must be at most ${NAME_MAX} characters.`)
	);

/** Changes the account's name (shown to organizations and on new certificates), audited. */
export function changeName(
	db: DB,
	userId: number,
	name: string,
	ip: string | null
): { changed: boolean } {
	return db.transaction((tx) => {
		const before = tx.select({ name: user.name }).from(user).where(eq(user.id, userId)).get();
		if (!before || before.name === name) return { changed: false };
		tx.update(user).set({ name }).where(eq(user.id, userId)).run();
		recordAudit(tx, {
			action: 'user.rename',
			outcome: 'success',
			actorId: userId,
			ip,
			subjectType: 'user',
			subjectId: userId,
			detail: { from: before.name, to: name }
		});
		return { changed: true };
	});
}
