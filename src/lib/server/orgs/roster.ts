import { and, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { DB, Tx } from '../db';
import {
	groupMember,
	invite,
	membership,
	orgGroup,
	rosterImport,
	user,
	type RosterRowData
} from '../db/schema';
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

export interface ImportResult {
	added: number;
	invited: number;
	alreadyMembers: number;
	alreadyInvited: number;
	skipped: number;
}

/**
 * Imports the good rows of a previewed roster, a transaction per 500 rows. People with an account
 * become members at once; everyone else gets a personal invite (returned, to be emailed).
 * Existing members and open invites are left as they are, so the same file twice adds nothing.
 */
export function runImport(
	db: DB,
	orgId: number,
	importId: number,
	by: { actorId: number; ip?: string | null },
	now = new Date()
):
	| { ok: true; result: ImportResult; invites: { email: string; token: string }[] }
	| { ok: false; reason: 'not_found' | 'already_imported' } {
	const claimed = db
		.update(rosterImport)
		.set({ status: 'imported', importedAt: now })
		.where(
			and(
				eq(rosterImport.id, importId),
				eq(rosterImport.orgId, orgId),
				eq(rosterImport.status, 'previewed')
			)
		)
		.returning({ rows: rosterImport.rows })
		.get();
	if (!claimed)
		return {
			ok: false,
			reason: findImport(db, orgId, importId) ? 'already_imported' : 'not_found'
		};
	const groupIds = new Map(
		db
			.select({ id: orgGroup.id, name: orgGroup.name })
			.from(orgGroup)
			.where(eq(orgGroup.orgId, orgId))
			.all()
			.map((g) => [g.name, g.id])
	);
	const good = claimed.rows.filter((r) => r.problems.length === 0);
	const result: ImportResult = {
		added: 0,
		invited: 0,
		alreadyMembers: 0,
		alreadyInvited: 0,
		skipped: claimed.rows.length - good.length
	};
	const invites: { email: string; token: string }[] = [];
	const q = rosterQueries(db, orgId);
	for (let i = 0; i < good.length; i += BATCH) {
		db.transaction((tx) => {
			for (const row of good.slice(i, i + BATCH))
				importRow(tx, q, orgId, row, groupIds, by.actorId, now, result, invites);
		});
	}
	db.transaction((tx) => {
		tx.update(rosterImport)
			.set({ result: { ...result } })
			.where(eq(rosterImport.id, importId))
			.run();
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
	});
	return { ok: true, result, invites };
}

/** The per-row look-ups, prepared once per import (statement preparation dominated otherwise). */
function rosterQueries(db: DB, orgId: number) {
	const email = sql.placeholder('email');
	return {
		userByEmail: db.select({ id: user.id }).from(user).where(eq(user.email, email)).prepare(),
		membershipOf: db
			.select({ id: membership.id })
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
	if (existing) {
		if (q.membershipOf.get({ userId: existing.id })) {
			result.alreadyMembers += 1;
			return;
		}
		const membershipId = tx
			.insert(membership)
			.values({
				orgId,
				userId: existing.id,
				role: row.role,
				employeeId: row.employeeId,
				createdAt: now
			})
			.returning({ id: membership.id })
			.get().id;
		if (groups.length)
			tx.insert(groupMember)
				.values(groups.map((groupId) => ({ groupId, membershipId })))
				.run();
		result.added += 1;
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
