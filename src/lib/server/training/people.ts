import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { membership, user } from '../db/schema';

/** Members of an organization found by user id, or by email (any case) or badge number. */
export function findMembersByKeys(
	db: Queryable,
	orgId: number,
	userIds: number[],
	keys: string[] = []
) {
	const lower = keys.map((k) => k.toLowerCase());
	if (!userIds.length && !keys.length) return [];
	return db
		.select({
			userId: membership.userId,
			name: user.name,
			email: user.email,
			employeeId: membership.employeeId
		})
		.from(membership)
		.innerJoin(user, eq(user.id, membership.userId))
		.where(
			and(
				eq(membership.orgId, orgId),
				or(
					userIds.length ? inArray(membership.userId, userIds) : undefined,
					lower.length ? inArray(sql`lower(${user.email})`, lower) : undefined,
					keys.length ? inArray(membership.employeeId, keys) : undefined
				)
			)
		)
		.all();
}
