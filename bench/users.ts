import type { Tx } from '../src/lib/server/db';
import { user } from '../src/lib/server/db/schema';

const FIRST = ['Ana', 'Ben', 'Chloé', 'Dmitri', 'Esi', 'Farah', 'Goran', 'Hana', 'Iker', 'Jun'];
const LAST = ['Okafor', 'Nguyen', 'Łukasiewicz', 'Ramírez', 'Schmidt', 'Haddad', 'Kowalski'];

export function nameFor(i: number): string {
	return `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}`;
}

/** Inserts accounts that all share one password hash: hashing 5,000 passwords would take a minute. */
export function insertUsers(tx: Tx, emails: string[], passwordHash: string, at: Date): number[] {
	const ids: number[] = [];
	for (let i = 0; i < emails.length; i += 500) {
		const rows = emails.slice(i, i + 500).map((email, j) => ({
			email,
			name: nameFor(i + j),
			passwordHash,
			passwordChangedAt: at,
			createdAt: at,
			// Verified: an unverified account expires after 7 days (and cannot join an organization).
			emailVerifiedAt: at
		}));
		ids.push(
			...tx
				.insert(user)
				.values(rows)
				.returning({ id: user.id })
				.all()
				.map((r) => r.id)
		);
	}
	return ids;
}
