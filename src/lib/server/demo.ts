import { eq } from 'drizzle-orm';
import type { DB } from './db';
import { meta, user } from './db/schema';
import { hashPassword } from './auth/password';

export const DEMO_PASSWORD = 'muster-demo-2026';

export const DEMO_ACCOUNTS = [
	{ email: 'admin@muster.test', name: 'Alex Morgan', isInstanceAdmin: true },
	{ email: 'sergeant@riverside.muster.test', name: 'Sgt. Dana Whitfield', isInstanceAdmin: false },
	{ email: 'officer@riverside.muster.test', name: 'Officer Luis Ramírez', isInstanceAdmin: false },
	{ email: 'chief@campus.muster.test', name: 'Chief Renée Okafor', isInstanceAdmin: false },
	{ email: 'coordinator@harbor.muster.test', name: 'Maya Chen', isInstanceAdmin: false },
	{ email: 'volunteer@harbor.muster.test', name: 'Jordan Ellis', isInstanceAdmin: false }
] as const;

/** Loads the demo accounts into a new database, in one transaction. */
export async function loadDemo(db: DB): Promise<void> {
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	const now = new Date();
	db.transaction((tx) => {
		for (const account of DEMO_ACCOUNTS) {
			tx.insert(user)
				.values({ ...account, passwordHash, createdAt: now, passwordChangedAt: now })
				.run();
		}
		tx.insert(meta).values({ key: 'demo', value: now.toISOString() }).run();
	});
}

export function hasDemo(db: DB): boolean {
	return db.select({ v: meta.value }).from(meta).where(eq(meta.key, 'demo')).get() !== undefined;
}
