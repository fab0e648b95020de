import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordAudit } from '../../src/lib/server/audit';
import { closeDatabase, openDatabase, type DB } from '../../src/lib/server/db';
import {
	eventHash,
	GENESIS_HASH,
	recordHash,
	type StoredEvent
} from '../../src/lib/server/records/chain';
import { sealExistingRecords } from '../../src/lib/server/records/seal';
import { describeReport, verifyChain } from '../../src/lib/server/records/verify';
import { signAuditHead } from '../../src/lib/server/records/anchor';
import { seedAttendanceAndExemptions, seedRecords } from '../fixtures/records';
import { testDb } from '../fixtures/db';

const dirs: string[] = [];
function tmp(): string {
	const dir = mkdtempSync(join(tmpdir(), 'muster-chain-'));
	dirs.push(dir);
	return dir;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const events = (db: DB) =>
	db.$client.prepare('select * from audit_event order by id').all() as StoredEvent[];
const dropTriggers = (db: DB) =>
	db.$client.exec('drop trigger audit_event_no_update; drop trigger audit_event_no_delete;');

async function broken(db: DB) {
	const report = await verifyChain(db.$client);
	if (report.ok) throw new Error(`expected a broken chain, got: ${describeReport(report)}`);
	return report.problem;
}

/** Recomputes every hash from `fromId` on, as someone rewriting the whole chain would. */
function rewriteFrom(db: DB, fromId: number) {
	let prev = GENESIS_HASH;
	const update = db.$client.prepare('update audit_event set prev_hash = ?, hash = ? where id = ?');
	for (const e of events(db)) {
		if (e.id < fromId) {
			prev = e.hash!;
			continue;
		}
		const hash = eventHash({ ...e, prev_hash: prev });
		update.run(prev, hash, e.id);
		prev = hash;
	}
}

describe('the hash-chained audit trail', () => {
	it('links every event to the one before, from a zero genesis, and verifies intact', async () => {
		const db = testDb();
		const { first } = await seedRecords(db);
		const all = events(db);
		expect(all[0]!.prev_hash).toBe(GENESIS_HASH);
		for (let i = 1; i < all.length; i++) expect(all[i]!.prev_hash).toBe(all[i - 1]!.hash);
		for (const e of all) expect(eventHash(e)).toBe(e.hash);
		// the completion's event commits to both records it wrote
		const complete = all.find((e) => e.action === 'course.complete')!;
		const refs = JSON.parse(complete.detail!).records;
		expect(refs.map((r: { kind: string }) => r.kind)).toEqual(['completion', 'certificate']);
		expect(refs[0].id).toBe(first.completionId);
		const report = await verifyChain(db.$client);
		expect(report.ok).toBe(true);
		expect(describeReport(report)).toBe(
			`chain intact: ${all.length} events, head ${all[all.length - 1]!.hash}`
		);
		if (report.ok) expect(report.records).toBe(5); // 2 completions, 2 certificates, 1 revocation
	});

	it('documents its bytes well enough to recompute a hash by hand', () => {
		const e: StoredEvent = {
			id: 1,
			at: 1772445600000,
			actor_id: null,
			actor_email: null,
			action: 'test.note',
			outcome: 'success',
			subject_type: null,
			subject_id: null,
			org_id: null,
			ip: null,
			detail: '{"n":1}',
			prev_hash: GENESIS_HASH
		};
		const bytes = `["muster-audit-v1",1,1772445600000,null,null,"test.note","success",null,null,null,null,"{\\"n\\":1}","${GENESIS_HASH}"]`;
		const expected = execFileSync('sha256sum', { input: bytes }).toString().slice(0, 64);
		expect(eventHash(e)).toBe(expected);
		const record = `["muster-record-v1","certificate_revocation",[["certificate_id",2],["id",1],["note",null],["reason","issued_in_error"],["revoked_at",5],["revoked_by",3]]]`;
		expect(
			recordHash('certificate_revocation', {
				id: 1,
				certificate_id: 2,
				reason: 'issued_in_error',
				note: null,
				revoked_by: 3,
				revoked_at: new Date(5)
			})
		).toBe(execFileSync('sha256sum', { input: record }).toString().slice(0, 64));
	});

	it('catches one changed field of one event (triggers dropped) and names the event', async () => {
		const db = testDb();
		await seedRecords(db);
		dropTriggers(db);
		const target = events(db)[3]!;
		db.$client.prepare("update audit_event set ip = '6.6.6.6' where id = ?").run(target.id);
		const problem = await broken(db);
		expect(problem.eventId).toBe(target.id);
		expect(problem.message).toMatch(/fields no longer match its hash/);
	});

	it('catches a deleted event at the event after it', async () => {
		const db = testDb();
		await seedRecords(db);
		dropTriggers(db);
		const all = events(db);
		db.$client.prepare('delete from audit_event where id = ?').run(all[2]!.id);
		const problem = await broken(db);
		expect(problem.eventId).toBe(all[3]!.id);
		expect(problem.message).toMatch(/prev_hash .* is not the hash of event/);
	});

	it('catches an event inserted in the middle, even one with a correct hash of its own', async () => {
		const db = testDb();
		await seedRecords(db);
		dropTriggers(db);
		const all = events(db);
		const k = all[2]!;
		// make room after event k, then forge a well-formed event linked to k (the unique index on
		// prev_hash would refuse it: a forger drops that too)
		db.$client.exec('drop index audit_event_prev_hash_once');
		db.$client.exec(`update audit_event set id = id + 1000000 where id > ${k.id}`);
		db.$client.exec(`update audit_event set id = id - 1000000 + 1 where id > 1000000`);
		const forged: StoredEvent = {
			id: k.id + 1,
			at: k.at + 1,
			actor_id: null,
			actor_email: null,
			action: 'certificate.revoke',
			outcome: 'success',
			subject_type: null,
			subject_id: null,
			org_id: null,
			ip: null,
			detail: null,
			prev_hash: k.hash!
		};
		db.$client
			.prepare(
				`insert into audit_event (id, at, action, outcome, prev_hash, hash) values (?, ?, ?, ?, ?, ?)`
			)
			.run(
				forged.id,
				forged.at,
				forged.action,
				forged.outcome,
				forged.prev_hash,
				eventHash(forged)
			);
		const problem = await broken(db);
		expect(problem.eventId).toBe(k.id + 2);
	});

	it("catches a completion's score changed without touching the trail", async () => {
		const db = testDb();
		const { first } = await seedRecords(db);
		db.$client.prepare('update completion set score = 100 where id = ?').run(first.completionId);
		let problem = await broken(db);
		expect(problem.place).toBe(`completion ${first.completionId}`);
		expect(problem.message).toMatch(/no longer match its record_hash/);
		// a careful forger also recomputes the record's own hash: the audit event still disagrees
		const row = db.$client
			.prepare('select * from completion where id = ?')
			.get(first.completionId) as Record<string, unknown>;
		db.$client
			.prepare('update completion set record_hash = ? where id = ?')
			.run(recordHash('completion', row), first.completionId);
		problem = await broken(db);
		expect(problem.place).toBe(`completion ${first.completionId}`);
		expect(problem.message).toMatch(/differs from what audit event \d+ committed/);
	});

	it('catches a court record added or removed outside the application', async () => {
		const db = testDb();
		const { second } = await seedRecords(db);
		db.$client.exec('pragma foreign_keys = off');
		db.$client.prepare('delete from certificate_revocation').run();
		const problem = await broken(db);
		expect(problem.place).toMatch(/^certificate_revocation \d+$/);
		expect(problem.message).toMatch(/committed to it, but it is gone/);
		expect(second.code).toBeTruthy();
	});

	it('catches a rewrite of the whole chain against a signed anchor taken before it', async () => {
		const db = testDb();
		await seedRecords(db);
		const keys = tmp();
		const anchor = await signAuditHead(db.$client, keys, 'https://muster.example');
		recordAudit(db, { action: 'test.after', outcome: 'success' });
		const before = await verifyChain(db.$client, { against: anchor.statement });
		expect(before.ok).toBe(true);

		dropTriggers(db);
		const victim = events(db)[1]!;
		db.$client
			.prepare("update audit_event set actor_email = 'someone else' where id = ?")
			.run(victim.id);
		rewriteFrom(db, victim.id);
		// on its own the rewritten chain is consistent ...
		expect((await verifyChain(db.$client)).ok).toBe(true);
		// ... but not with the head kept outside
		const report = await verifyChain(db.$client, { against: anchor.statement });
		expect(report.ok).toBe(false);
		if (!report.ok) {
			expect(report.problem.eventId).toBe(anchor.statement.eventId);
			expect(report.problem.message).toMatch(/the chain was rewritten/);
		}
	});

	it('catches events cut off the end against an anchor', async () => {
		const db = testDb();
		await seedRecords(db);
		const anchor = await signAuditHead(db.$client, tmp(), 'https://muster.example');
		dropTriggers(db);
		db.$client.prepare('delete from audit_event where id = ?').run(anchor.statement.eventId);
		const report = await verifyChain(db.$client, { against: anchor.statement });
		expect(report.ok).toBe(false);
		if (!report.ok) expect(report.problem.message).toMatch(/events were removed/);
	});

	it('refuses to change or remove a chained event while the triggers stand', async () => {
		const db = testDb();
		await seedRecords(db);
		expect(() => db.$client.exec("update audit_event set ip = 'x' where id = 1")).toThrow(
			/append-only/
		);
		expect(() => db.$client.exec("update audit_event set hash = 'x' where id = 1")).toThrow(
			/append-only/
		);
		expect(() => db.$client.exec('delete from audit_event where id = 1')).toThrow(/append-only/);
	});

	it('chains a trail written before the chain existed, once (the start-up backfill)', async () => {
		const db = testDb();
		db.$client.exec("delete from meta where key = 'records.chain-v1'");
		// rows as the old code wrote them: no hashes
		const insert = db.$client.prepare(
			"insert into audit_event (at, action, outcome, detail) values (?, 'old.event', 'success', ?)"
		);
		for (let i = 0; i < 5; i++) insert.run(1_700_000_000_000 + i, JSON.stringify({ i }));
		const { a } = await seedRecordsWithoutChain(db);
		const first = sealExistingRecords(db);
		expect(first.events).toBe(5);
		expect(first.records).toBe(1);
		expect(sealExistingRecords(db)).toEqual({ events: 0, records: 0 });
		const report = await verifyChain(db.$client);
		// the five old events, then one `records.seal` event committing to the old completion
		expect(describeReport(report)).toMatch(/^chain intact: 6 events/);
		expect(events(db).at(-1)!.action).toBe('records.seal');
		expect(a).toBeGreaterThan(0);
		// the one-time seal is the only change the update trigger lets through
		expect(() => db.$client.exec("update audit_event set prev_hash = 'x' where id = 1")).toThrow(
			/append-only/
		);
	});

	it('follows commit order with two connections on one file', () => {
		const path = join(tmp(), 'two.db');
		const one = openDatabase(path).db;
		const two = openDatabase(path).db;
		try {
			recordAudit(one, { action: 'one.a', outcome: 'success' });
			// A transaction holds the write lock from its first statement (BEGIN IMMEDIATE), so
			// another connection cannot append in the middle of it and fork the chain: it waits
			// (here it may not, to see the refusal) and follows once the transaction commits.
			two.$client.pragma('busy_timeout = 0');
			let error: unknown;
			one.transaction((tx) => {
				one.$client.prepare('select count(*) from audit_event').get();
				try {
					recordAudit(two, { action: 'two.a', outcome: 'success' });
				} catch (e) {
					error = e;
				}
				recordAudit(tx, { action: 'one.b', outcome: 'success' });
			});
			const e = error as { code?: string; cause?: { code?: string } } | undefined;
			expect(String(e?.code ?? e?.cause?.code)).toMatch(/^SQLITE_BUSY/);
			recordAudit(two, { action: 'two.b', outcome: 'success' });
			one.transaction((tx) => recordAudit(tx, { action: 'one.c', outcome: 'success' }));
			const actions = events(one).map((e) => e.action);
			expect(actions).toEqual(['one.a', 'one.b', 'two.b', 'one.c']);
		} finally {
			closeDatabase(two);
			closeDatabase(one);
		}
	});

	it('stays one chain with two processes appending at once', async () => {
		const dir = tmp();
		const path = join(dir, 'procs.db');
		closeDatabase(openDatabase(path).db);
		const script = join(dir, 'append.ts');
		writeFileSync(
			script,
			`import { openDatabase } from ${JSON.stringify(join(process.cwd(), 'src/lib/server/db/index.ts'))};
import { recordAudit } from ${JSON.stringify(join(process.cwd(), 'src/lib/server/audit.ts'))};
const { db } = openDatabase(process.argv[2]!);
for (let i = 0; i < 150; i++) recordAudit(db, { action: 'proc.' + process.argv[3], outcome: 'success', detail: { i } });
db.$client.close();
`
		);
		const run = (name: string) =>
			new Promise<number>((resolve) => {
				const child = spawn(process.execPath, ['--import', 'tsx', script, path, name], {
					stdio: 'inherit'
				});
				child.on('exit', (code) => resolve(code ?? 1));
			});
		expect(await Promise.all([run('a'), run('b')])).toEqual([0, 0]);
		const db = openDatabase(path).db;
		try {
			const report = await verifyChain(db.$client);
			expect(describeReport(report)).toMatch(/^chain intact: 300 events/);
		} finally {
			closeDatabase(db);
		}
	}, 60_000);
});

/** A completion written the old way: no record_hash and no event committing to it. */
async function seedRecordsWithoutChain(db: DB) {
	const { makeUser } = await import('../fixtures/db');
	const u = await makeUser(db);
	const before = events(db).length;
	db.$client
		.prepare(
			"insert into completion (user_id, course_slug, content_version, score, method, completed_at) values (?, 'c', '1', 90, 'self-paced', 1)"
		)
		.run(u.id);
	return { a: u.id, before };
}

describe('roll-call attendance and exemptions as sealed records', () => {
	const att = (db: DB, where: string, ...args: unknown[]) =>
		db.$client
			.prepare(`select * from rollcall_attendance where ${where} order by id`)
			.all(...args) as Record<string, unknown>[];
	const reseal = (db: DB, kind: string, table: string, id: unknown) => {
		const row = db.$client.prepare(`select * from "${table}" where id = ?`).get(id) as Record<
			string,
			unknown
		>;
		db.$client
			.prepare(`update "${table}" set record_hash = ? where id = ?`)
			.run(recordHash(kind, row), id);
	};

	it('an intact chain with attendance, credit and exemptions verifies; an open session is not yet a record', async () => {
		const db = testDb();
		const s = seedAttendanceAndExemptions(db);
		const report = await verifyChain(db.$client);
		expect(describeReport(report)).toMatch(/^chain intact: /);
		// Closing sealed every attendance row of the session (removed ones too) and each credit,
		// and its event commits to them.
		const closedRows = att(db, 'session_id = ?', s.closed.sessionId);
		expect(closedRows).toHaveLength(3);
		for (const r of closedRows) expect(r.record_hash).toBe(recordHash('attendance', r));
		const close = db.$client
			.prepare("select detail from audit_event where action = 'rollcall.close'")
			.get() as { detail: string };
		const refs = JSON.parse(close.detail).records as { kind: string; id: number }[];
		expect(refs.filter((r) => r.kind === 'attendance').map((r) => r.id)).toEqual(
			closedRows.map((r) => r.id)
		);
		expect(refs.filter((r) => r.kind === 'rollcall_credit')).toHaveLength(2);
		// The open session's attendance waits for its close.
		expect(att(db, 'session_id = ?', s.open.sessionId)[0]!.record_hash).toBeNull();
		for (const id of [s.kept, s.withdrawn]) {
			const row = db.$client.prepare('select * from exemption where id = ?').get(id) as Record<
				string,
				unknown
			>;
			expect(row.record_hash).toBe(recordHash('exemption', row));
		}
	});

	it('catches an attendance row changed without its event, and names it', async () => {
		const db = testDb();
		const s = seedAttendanceAndExemptions(db);
		const [removed] = att(db, 'session_id = ? and removed_at is not null', s.closed.sessionId);
		db.$client
			.prepare('update rollcall_attendance set removed_at = null where id = ?')
			.run(removed!.id);
		let problem = await broken(db);
		expect(problem.place).toBe(`attendance ${removed!.id}`);
		expect(problem.message).toMatch(/no longer match its record_hash/);
		// with its own hash recomputed, the close event still disagrees
		reseal(db, 'attendance', 'rollcall_attendance', removed!.id);
		problem = await broken(db);
		expect(problem.place).toBe(`attendance ${removed!.id}`);
		expect(problem.message).toMatch(/differs from what audit event \d+ committed/);
	});

	it('catches a credit changed, and an attendance row hidden as if its session were still open', async () => {
		const db = testDb();
		seedAttendanceAndExemptions(db);
		const credit = db.$client.prepare('select id from rollcall_credit order by id').get() as {
			id: number;
		};
		db.$client
			.prepare('update rollcall_credit set credit_minutes = 90 where id = ?')
			.run(credit.id);
		expect((await broken(db)).place).toBe(`rollcall_credit ${credit.id}`);

		const other = testDb();
		const t = seedAttendanceAndExemptions(other);
		other.$client
			.prepare('update rollcall_session set closed_at = null where id = ?')
			.run(t.closed.sessionId);
		const [first] = att(other, 'session_id = ?', t.closed.sessionId);
		other.$client
			.prepare('update rollcall_attendance set record_hash = null, added_by = 1 where id = ?')
			.run(first!.id);
		const problem = await broken(other);
		expect(problem.place).toBe(`attendance ${first!.id}`);
	});

	it('catches an exemption changed without its event, and one withdrawn then restored', async () => {
		const db = testDb();
		const s = seedAttendanceAndExemptions(db);
		db.$client.prepare("update exemption set ends_on = '2027-12-31' where id = ?").run(s.kept);
		let problem = await broken(db);
		expect(problem.place).toBe(`exemption ${s.kept}`);
		expect(problem.message).toMatch(/no longer match its record_hash/);
		reseal(db, 'exemption', 'exemption', s.kept);
		problem = await broken(db);
		expect(problem.place).toBe(`exemption ${s.kept}`);
		expect(problem.message).toMatch(/differs from what audit event \d+ committed/);

		// The withdrawal's event committed to the withdrawn row: undoing it is caught.
		const other = testDb();
		const t = seedAttendanceAndExemptions(other);
		other.$client
			.prepare('update exemption set withdrawn_at = null, withdrawn_by = null where id = ?')
			.run(t.withdrawn);
		reseal(other, 'exemption', 'exemption', t.withdrawn);
		problem = await broken(other);
		expect(problem.place).toBe(`exemption ${t.withdrawn}`);
		expect(problem.message).toMatch(/differs from what audit event \d+ committed/);
	});

	it('seals attendance and exemptions written before they were records, once, leaving open sessions', async () => {
		const db = testDb();
		const s = seedAttendanceAndExemptions(db);
		// as the earlier code left them: no hashes, no commitments (a copy of the rows, so the
		// close and exemption events of this test do not commit to them)
		const copy = testDb();
		const client = copy.$client;
		client.exec('pragma foreign_keys = off');
		for (const table of ['user', 'organization', 'membership', 'rollcall_session', 'assignment'])
			for (const row of db.$client.prepare(`select * from "${table}"`).all() as Record<
				string,
				unknown
			>[]) {
				const cols = Object.keys(row);
				client
					.prepare(
						`insert or ignore into "${table}" (${cols.map((c) => `"${c}"`).join(',')}) values (${cols.map(() => '?').join(',')})`
					)
					.run(...cols.map((c) => row[c]));
			}
		for (const table of ['rollcall_attendance', 'rollcall_credit', 'exemption'])
			for (const row of db.$client.prepare(`select * from "${table}"`).all() as Record<
				string,
				unknown
			>[]) {
				const cols = Object.keys(row).filter((c) => c !== 'record_hash');
				client
					.prepare(
						`insert into "${table}" (${cols.map((c) => `"${c}"`).join(',')}) values (${cols.map(() => '?').join(',')})`
					)
					.run(...cols.map((c) => row[c]));
			}
		expect((await verifyChain(client)).ok).toBe(false);
		client.exec("delete from meta where key = 'records.seal-v2'");
		const sealed = sealExistingRecords(copy);
		// 4 attendance rows of the closed session minus none; the open one's row waits: 3 + 2 + 2
		expect(sealed).toEqual({ events: 0, records: 7 });
		expect(sealExistingRecords(copy)).toEqual({ events: 0, records: 0 });
		expect(describeReport(await verifyChain(client))).toMatch(/^chain intact: /);
		const waiting = client
			.prepare('select record_hash from rollcall_attendance where session_id = ?')
			.get(s.open.sessionId) as { record_hash: string | null };
		expect(waiting.record_hash).toBeNull();
	});
});

describe('npm run audit:verify', () => {
	const cli = (env: Record<string, string>, args: string[] = []) => {
		try {
			const out = execFileSync(
				process.execPath,
				['--import', 'tsx', 'scripts/audit-verify.ts', ...args],
				{
					env: { ...process.env, ...env },
					stdio: 'pipe'
				}
			).toString();
			return { code: 0, out };
		} catch (e) {
			const err = e as { status: number; stdout: Buffer; stderr: Buffer };
			return { code: err.status, out: err.stdout.toString() + err.stderr.toString() };
		}
	};

	it('prints the intact chain, proves a signed anchor, and names the first broken link', async () => {
		const dir = tmp();
		const path = join(dir, 'cli.db');
		const keys = join(dir, 'keys');
		const db = openDatabase(path).db;
		await seedRecords(db);
		const anchor = await signAuditHead(db.$client, keys, 'https://muster.example');
		writeFileSync(join(dir, 'anchor.json'), JSON.stringify(anchor));
		const head = events(db).at(-1)!;
		closeDatabase(db);
		const env = { DATABASE_URL: path, MUSTER_KEYS_DIR: keys };

		let r = cli(env);
		expect(r.code).toBe(0);
		expect(r.out).toContain(`chain intact: ${head.id} events, head ${head.hash}`);
		r = cli(env, ['--against', join(dir, 'anchor.json')]);
		expect(r.code).toBe(0);
		expect(r.out).toContain('the chain still contains the anchored head');

		// a statement whose numbers were edited no longer carries a valid signature
		writeFileSync(
			join(dir, 'edited.json'),
			JSON.stringify({ ...anchor, statement: { ...anchor.statement, events: 1 } })
		);
		r = cli(env, ['--against', join(dir, 'edited.json')]);
		expect(r.code).toBe(2);
		expect(r.out).toMatch(/signature does not hold/);

		const raw = openDatabase(path).db;
		dropTriggers(raw);
		raw.$client.prepare("update audit_event set action = 'x' where id = 2").run();
		closeDatabase(raw);
		r = cli(env);
		expect(r.code).toBe(1);
		expect(r.out).toMatch(/chain broken at event 2: /);
	}, 60_000);
});

describe('anchoring and the daily check', () => {
	it('writes the chain head of each backup beside it, and prunes it with the backup', async () => {
		const { backupDatabase, listBackups } = await import('../../src/lib/server/backup');
		const { readFileSync, existsSync } = await import('node:fs');
		const dir = tmp();
		const db = openDatabase(join(dir, 'live.db')).db;
		await seedRecords(db);
		const head = events(db).at(-1)!;
		const first = await backupDatabase(db.$client, {
			dir: join(dir, 'b'),
			keep: 1,
			now: new Date(0)
		});
		const beside = JSON.parse(readFileSync(`${first.file}.audit-head.json`, 'utf8'));
		expect(beside).toMatchObject({ eventId: head.id, head: head.hash, events: head.id });
		recordAudit(db, { action: 'test.more', outcome: 'success' });
		const second = await backupDatabase(db.$client, { dir: join(dir, 'b'), keep: 1 });
		expect(second.head.eventId).toBe(head.id + 1);
		expect(listBackups(join(dir, 'b'))).toEqual([second.file]);
		expect(existsSync(`${first.file}.audit-head.json`)).toBe(false);
		closeDatabase(db);
	});

	it('keeps the outcome of each check for the admin view, broken or not', async () => {
		const { runChainCheck, auditChainStatus } = await import('../../src/lib/server/records/check');
		const path = join(tmp(), 'check.db');
		const db = openDatabase(path).db;
		try {
			await seedRecords(db);
			expect(auditChainStatus(db).lastCheck).toBeNull();
			const ok = await runChainCheck(db, path, () => new Date('2026-03-03T03:17:00Z'));
			expect(ok.ok).toBe(true);
			const status = auditChainStatus(db);
			expect(status.lastCheck).toMatchObject({ at: '2026-03-03T03:17:00.000Z', ok: true });
			expect(status.head).toBe(events(db).at(-1)!.hash);
			dropTriggers(db);
			db.$client.exec("update audit_event set outcome = 'failure' where id = 3");
			const bad = await runChainCheck(db, path);
			expect(bad.ok).toBe(false);
			expect(auditChainStatus(db).lastCheck?.message).toMatch(/^chain broken at event 3:/);
		} finally {
			closeDatabase(db);
		}
	});
});
