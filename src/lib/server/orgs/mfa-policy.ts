import { eq } from 'drizzle-orm';
import type { DB, Queryable } from '../db';
import { organization } from '../db/schema';
import { recordAudit } from '../audit';

export function orgRequiresMfa(db: Queryable, orgId: number): boolean {
	return (
		db
			.select({ on: organization.requireMfa })
			.from(organization)
			.where(eq(organization.id, orgId))
			.get()?.on ?? false
	);
}

/**
 * Requires (or stops requiring) a second factor of the organization's supervisors and admins.
 * Those without one are led to enrol at their next sign-in. Audited when it changes.
 */
export function setOrgRequiresMfa(
	db: DB,
	input: { orgId: number; on: boolean; actorId: number; ip: string; now?: Date }
): boolean {
	return db.transaction((tx) => {
		if (orgRequiresMfa(tx, input.orgId) === input.on) return false;
		tx.update(organization)
			.set({ requireMfa: input.on })
			.where(eq(organization.id, input.orgId))
			.run();
		recordAudit(tx, {
			action: 'org.require_mfa',
			outcome: 'success',
			actorId: input.actorId,
			orgId: input.orgId,
			subjectType: 'organization',
			subjectId: input.orgId,
			ip: input.ip,
			at: input.now,
			detail: { requireMfa: input.on }
		});
		return true;
	});
}
