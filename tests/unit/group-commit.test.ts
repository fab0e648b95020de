import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
	startAttempt,
	submitInGroup,
	takeScenarioStep
} from '../../src/lib/server/assessments/attempts';
import { drawAttempt } from '../../src/lib/server/assessments/draw';
import { recordAudit } from '../../src/lib/server/audit';
import type { DB, Tx } from '../../src/lib/server/db';
import { commitInGroup } from '../../src/lib/server/db/group-commit';
import { meta } from '../../src/lib/server/db/schema';
import { verifyChain } from '../../src/lib/server/records/verify';
import { answersFor, catalog, completeAllModules, scenarioWalk } from '../fixtures/courses';
import { makeUser, testDb } from '../fixtures/db';

const rollCall = catalog.bySlug.get('roll-call')!;

/** Counts the transactions the database handle opens (a group commits in one). */
function countTransactions(db: DB): () => number {
	const begin = db.transaction.bind(db);
	let n = 0;
	db.transaction = ((...args: Parameters<DB['transaction']>) => {
		n += 1;
		return begin(...args);
	}) as DB['transaction'];
	return () => n;
}

const put = (tx: Tx, key: string) => tx.insert(meta).values({ key, value: 'x' }).run();
const keys = (db: DB) =>
	(
		db.$client.prepare("select key from meta where key like 'job.%' order by key").all() as {
			key: string;
		}[]
	).map((r) => r.key);

describe('group commit', () => {
	it('commits the work asked for in one turn in one transaction, in order, answering after the commit', async () => {
		const db = testDb();
		const transactions = countTransactions(db);
		const order: string[] = [];
		const answered = await Promise.all(
			['job.a', 'job.b', 'job.c'].map((key) =>
				commitInGroup(db, (tx) => {
					put(tx, key);
					order.push(key);
					return key;
				}).then((value) => {
					// Answered only once the commit is done: no transaction is open any more.
					expect(db.$client.inTransaction).toBe(false);
					return value;
				})
			)
		);
		expect(answered).toEqual(['job.a', 'job.b', 'job.c']);
		expect(order).toEqual(['job.a', 'job.b', 'job.c']);
		expect(transactions()).toBe(1);
		expect(keys(db)).toEqual(['job.a', 'job.b', 'job.c']);
		// Work asked for later is another group.
		await commitInGroup(db, (tx) => put(tx, 'job.d'));
		expect(transactions()).toBe(2);
	});

	it('rolls back only the work that failed, audit event included; the chain stays whole', async () => {
		const db = testDb();
		const audited = (tx: Tx, key: string) => {
			put(tx, key);
			recordAudit(tx, { action: 'test.job', outcome: 'success', subjectId: key });
		};
		const results = await Promise.allSettled([
			commitInGroup(db, (tx) => audited(tx, 'job.a')),
			commitInGroup(db, (tx) => {
				audited(tx, 'job.b');
				throw new Error('job b fails after writing');
			}),
			commitInGroup(db, (tx) => audited(tx, 'job.c'))
		]);
		expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
		expect((results[1] as PromiseRejectedResult).reason.message).toBe('job b fails after writing');
		expect(keys(db)).toEqual(['job.a', 'job.c']);
		const events = db.$client
			.prepare("select subject_id as s from audit_event where action = 'test.job' order by id")
			.all();
		expect(events).toEqual([{ s: 'job.a' }, { s: 'job.c' }]);
		expect((await verifyChain(db.$client)).ok).toBe(true);
	});

	it('answers work alone in its turn with its own result or error, and keeps nothing of failed work', async () => {
		const db = testDb();
		await expect(commitInGroup(db, (tx) => (put(tx, 'job.a'), 'a'))).resolves.toBe('a');
		await expect(
			commitInGroup(db, (tx) => {
				put(tx, 'job.b');
				throw new Error('alone and failing');
			})
		).rejects.toThrow('alone and failing');
		expect(keys(db)).toEqual(['job.a']);
		expect(db.$client.inTransaction).toBe(false);
	});

	it('keeps nothing and answers every request with the error when the commit itself fails', async () => {
		const db = testDb();
		const results = await Promise.allSettled([
			commitInGroup(db, (tx) => put(tx, 'job.a')),
			commitInGroup(db, (tx) => {
				// A reference checked at commit: the whole commit fails, not this statement.
				tx.run(sql`pragma defer_foreign_keys = on`);
				tx.run(
					sql`insert into membership (org_id, user_id, role, active, created_at) values (999999, 999999, 'learner', 1, 0)`
				);
			})
		]);
		expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
		expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
		expect(keys(db)).toEqual([]);
		expect(db.$client.inTransaction).toBe(false);
		// The next group commits normally.
		await commitInGroup(db, (tx) => put(tx, 'job.b'));
		expect(keys(db)).toEqual(['job.b']);
	});

	it('grades submissions that arrive together once each; a double submit in the same group finds it graded', async () => {
		const db = testDb();
		const learners: { id: number; attemptId: number; answers: Map<string, number[]> }[] = [];
		for (let i = 0; i < 3; i++) {
			const u = await makeUser(db);
			completeAllModules(db, u.id, rollCall);
			const a = startAttempt(db, u.id, rollCall);
			if (!a.ok) throw new Error(a.reason);
			const seed = (
				db.$client.prepare('select seed from assessment_attempt where id = ?').get(a.attemptId) as {
					seed: number;
				}
			).seed;
			for (const s of drawAttempt(rollCall.assessment, seed).scenarios)
				for (const step of scenarioWalk(rollCall, seed, s.question.id, true))
					takeScenarioStep(db, u.id, rollCall, {
						attemptId: a.attemptId,
						questionId: s.question.id,
						...step
					});
			learners.push({
				id: u.id,
				attemptId: a.attemptId,
				answers: answersFor(rollCall, seed, true)
			});
		}
		const transactions = countTransactions(db);
		const submit = (l: (typeof learners)[number]) =>
			submitInGroup(db, l.id, rollCall, l.attemptId, l.answers);
		const results = await Promise.all([...learners.map(submit), submit(learners[0]!)]);
		expect(transactions()).toBe(1);
		expect(results.slice(0, 3)).toEqual(
			learners.map(() => expect.objectContaining({ ok: true, passed: true, alreadyGraded: false }))
		);
		expect(results[3]).toMatchObject({ ok: true, passed: true, alreadyGraded: true });
		const n = (table: string) =>
			(db.$client.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
		expect(n('completion')).toBe(3);
		expect(n('certificate')).toBe(3);
		expect((await verifyChain(db.$client)).ok).toBe(true);
	});
});
