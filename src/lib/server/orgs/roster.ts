import { and, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { DB, Tx } from '../db';
import { invite, membership, orgGroup, rosterImport, user, type RosterRowData } from '../db/schema';
import { recordAudit } from '../audit';
import { createInvite } from './invites';

const BATCH = 500;

export function savePreview(
	db: DB,
	orgId: number,
	fileName: string,
	rows: RosterRowData[],
	by: number
): number {
	return db
		.insert(rosterImport)
		.values({
			orgId,
			fileName: fileName.slice(0, 200),
			rows,
			status: 'previewed',
			createdBy: by,
			createdAt: new Date()
		})
		.returning({ id: rosterImport.id })
		.get().id;
}

export function findImport(db: DB, orgId: number, id: number) {
	return db
		.select()
		.from(rosterImport)
		.where(and(eq(rosterImport.id, id), eq(rosterImport.orgId, orgId)))
		.get();
}

export function listImports(db: DB, orgId: number) {
	return db
		.select({
			id: rosterImport.id,
			fileName: rosterImport.fileName,
			status: rosterImport.status,
			createdAt: rosterImport.createdAt,
			result: rosterImport.result
		})
		.from(rosterImport)
		.where(eq(rosterImport.orgId, orgId))
		.orderBy(desc(rosterImport.id))
		.limit(20)
		.all();
}

/**
 * What an import did. There is deliberately no "added" count: nobody becomes a member by an
 * import, and one "invited" count for accounts and newcomers alike tells the admin nothing
 * about which emails have an account.
 */
export interface ImportResult {
	invited: number;
	alreadyMembers: number;
	alreadyInvited: number;
	skipped: number;
}

export type ImportStep =
	| {
			ok: true;
			finished: boolean;
			/** Good rows imported so far, of `total`. */
			done: number;
			total: number;
			result: ImportResult;
			/** Invites this batch created, to be emailed. */
			invites: { email: string; token: string }[];
	  }
	| { ok: false; reason: 'not_found' | 'already_imported' };

/**
 * Imports the next 500 good rows of a previewed roster in one transaction that also moves the
 * import's progress on, so an import cut short (a closed tab, a restart) continues where it
 * stopped and no row is imported twice, however many requests arrive at once. Everyone who is
 * not already a member gets a personal invitation to accept or decline, whether or not they have
 * an account (consent: an import never makes anyone a member). Existing members and open
 * invites are left as they are, so the same file twice sends nothing new.
 */
export function importNextBatch(
	db: DB,
	orgId: number,
	importId: number,
	by: { actorId: number; ip?: string | null },
	now = new Date()
): ImportStep {
	return db.transaction(
		(tx) => {
			const found = tx
				.select()
				.from(rosterImport)
				.where(and(eq(rosterImport.id, importId), eq(rosterImport.orgId, orgId)))
				.get();
			if (!found) return { ok: false as const, reason: 'not_found' as const };
			if (found.status === 'imported')
				return { ok: false as const, reason: 'already_imported' as const };
			const good = found.rows.filter((r) => r.problems.length === 0);
			const result: ImportResult = {
				invited: 0,
				alreadyMembers: 0,
				alreadyInvited: 0,
				skipped: found.rows.length - good.length,
				...(found.result as Partial<ImportResult> | null)
			};
			const groupIds = new Map(
				tx
					.select({ id: orgGroup.id, name: orgGroup.name })
					.from(orgGroup)
					.where(eq(orgGroup.orgId, orgId))
					.all()
					.map((g) => [g.name, g.id])
			);
			const invites: { email: string; token: string }[] = [];
			const q = rosterQueries(tx, orgId);
			const batch = good.slice(found.done, found.done + BATCH);
			for (const row of batch)
				importRow(tx, q, orgId, row, groupIds, by.actorId, now, result, invites);
			const done = found.done + batch.length;
			const finished = done >= good.length;
			tx.update(rosterImport)
				.set({
					status: finished ? 'imported' : 'importing',
					done,
					result: { ...result },
					importedAt: finished ? now : null
				})
				.where(eq(rosterImport.id, importId))
				.run();
			if (finished) {
				recordAudit(tx, {
					action: 'roster.import',
					outcome: 'success',
					actorId: by.actorId,
					ip: by.ip,
					orgId,
					subjectType: 'roster_import',
					subjectId: importId,
					detail: { ...result },
					at: now
				});
			}
			return { ok: true as const, finished, done, total: good.length, result, invites };
		},
		{ behavior: 'immediate' }
	);
}

/** The whole import at once (scripts, tests and the benchmark; the page goes a few batches at a time). */
export function runImport(
	db: DB,
	orgId: number,
	importId: number,
	by: { actorId: number; ip?: string | null },
	now = new Date()
):
	| { ok: true; result: ImportResult; invites: { email: string; token: string }[] }
	| { ok: false; reason: 'not_found' | 'already_imported' } {
	const invites: { email: string; token: string }[] = [];
	for (;;) {
		const step = importNextBatch(db, orgId, importId, by, now);
		if (!step.ok) return step;
		invites.push(...step.invites);
		if (step.finished) return { ok: true, result: step.result, invites };
	}
}

/** The per-row look-ups, prepared once per import (statement preparation dominated otherwise). */
function rosterQueries(db: Tx, orgId: number) {
	const email = sql.placeholder('email');
	return {
		userByEmail: db.select({ id: user.id }).from(user).where(eq(user.email, email)).prepare(),
		membershipOf: db
			.select({ id: membership.id, leftAt: membership.leftAt })
			.from(membership)
			.where(and(eq(membership.orgId, orgId), eq(membership.userId, sql.placeholder('userId'))))
			.prepare(),
		openInvite: db
			.select({ id: invite.id })
			.from(invite)
			.where(
				and(
					eq(invite.orgId, orgId),
					eq(invite.email, email),
					isNull(invite.revokedAt),
					gt(invite.expiresAt, sql.placeholder('now')),
					lt(invite.uses, invite.maxUses)
				)
			)
			.prepare()
	};
}

function importRow(
	tx: Tx,
	q: ReturnType<typeof rosterQueries>,
	orgId: number,
	row: RosterRowData,
	groupIds: Map<string, number>,
	actorId: number,
	now: Date,
	result: ImportResult,
	invites: { email: string; token: string }[]
): void {
	const groups = row.groups.map((g) => groupIds.get(g)).filter((g): g is number => g !== undefined);
	const existing = q.userByEmail.get({ email: row.email });
	// A member (active, or deactivated by an admin) stays as they are; someone who left needs a
	// new invitation, like anyone else. The account itself is never touched.
	const member = existing && q.membershipOf.get({ userId: existing.id });
	if (member && !member.leftAt) {
		result.alreadyMembers += 1;
		return;
	}
	if (q.openInvite.get({ email: row.email, now: now.getTime() })) {
		result.alreadyInvited += 1;
		return;
	}
	const { token } = createInvite(
		tx,
		orgId,
		{
			role: row.role,
			groupIds: groups,
			maxUses: 1,
			days: 30,
			email: row.email,
			name: row.name,
			employeeId: row.employeeId ?? undefined
		},
		actorId,
		now
	);
	invites.push({ email: row.email, token });
	result.invited += 1;
}
