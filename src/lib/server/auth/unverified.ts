/** An account whose email is still unverified after this many days expires. */
export const UNVERIFIED_DAYS = 7;

/** Whether an unverified account made at `createdAt` has expired by `now`. */
export function isExpiredUnverified(
	row: { emailVerifiedAt: Date | null; createdAt: Date },
	now = new Date()
): boolean {
	return (
		row.emailVerifiedAt === null &&
		now.getTime() - row.createdAt.getTime() >= UNVERIFIED_DAYS * 86_400_000
	);
}
