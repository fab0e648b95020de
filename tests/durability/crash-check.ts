// What the crash test checks in the database once the last server is gone. The SQL lives here,
// in a test, on purpose: it reads the file the way an auditor would, not through the services.
import type Database from 'better-sqlite3';
import { SUBMIT_COURSE, type Learner, type Write } from './seed';

export interface SignInAck {
	userId: number;
	/** The public half of the session cookie (`id.secret`): the session row's id. */
	sessionId: string;
}

export interface CheckReport {
	lost: string[];
	duplicates: string[];
	/** Places where the audit trail and the records disagree. */
	audit: string[];
	integrity: string;
}

type Row = Record<string, unknown>;

export function checkRecords(
	db: Database.Database,
	learners: Learner[],
	writes: Write[],
	signIns: SignInAck[]
): CheckReport {
	const one = (sql: string, ...params: unknown[]) =>
		db.prepare(sql).get(...params) as Row | undefined;
	const all = (sql: string) => db.prepare(sql).all() as Row[];
	const lost: string[] = [];

	for (const w of writes) {
		if (w.kind === 'complete') {
			const found = one(
				`select 1 from module_progress where user_id = ? and course_slug = ? and module_slug = ?`,
				w.learner.id,
				w.module!.course,
				w.module!.module
			);
			if (!found) lost.push(`module ${w.module!.course}/${w.module!.module} of ${w.learner.email}`);
		} else {
			// The completion, its certificate and the passed attempt are written in one transaction.
			const found = one(
				`select 1 from completion c
				 join certificate cert on cert.completion_id = c.id
				 join assessment_attempt a on a.id = c.attempt_id
				 where c.user_id = ? and c.course_slug = ? and c.attempt_id = ?
				   and a.status = 'submitted' and a.passed = 1
				   and exists (select 1 from attempt_answer x where x.attempt_id = a.id)`,
				w.learner.id,
				SUBMIT_COURSE,
				w.learner.attemptId
			);
			if (!found) lost.push(`completion of attempt ${w.learner.attemptId} by ${w.learner.email}`);
		}
	}
	for (const s of signIns) {
		const found = one(`select 1 from session where id = ? and user_id = ?`, s.sessionId, s.userId);
		if (!found) lost.push(`session ${s.sessionId} of user ${s.userId}`);
	}

	const duplicates = [
		...all(
			`select user_id, course_slug, count(*) as n from completion
			 group by user_id, course_slug having n > 1`
		).map((r) => `${r.n} completions of ${r.course_slug} by user ${r.user_id}`),
		...all(
			`select user_id, course_slug, module_slug, count(*) as n from module_progress
			 group by user_id, course_slug, module_slug having n > 1`
		).map((r) => `${r.n} rows for module ${r.module_slug} of user ${r.user_id}`),
		...all(
			`select c.id, count(cert.id) as n from completion c
			 left join certificate cert on cert.completion_id = c.id
			 group by c.id having n != 1`
		).map((r) => `completion ${r.id} has ${r.n} certificates`),
		...all(
			`select user_id, count(*) as n from assessment_attempt
			 group by user_id, course_slug having n > 1`
		).map((r) => `user ${r.user_id} has ${r.n} attempts (one was prepared)`)
	];
	const certificates = one(`select count(*) as n from certificate`)!.n;
	const completions = one(`select count(*) as n from completion`)!.n;
	if (certificates !== completions)
		duplicates.push(`${certificates} certificates for ${completions} completions`);

	// The audit trail agrees with the records: every completion has its course.complete event
	// (written in the same transaction) and every such event its completion; every session has
	// the audited sign-in that created it, in the same millisecond, and every audited successful
	// sign-in its session (nothing here signs out); no audit row names a user who does not exist.
	const audit = [
		...all(
			`select c.id from completion c where not exists (
			   select 1 from audit_event e where e.action = 'course.complete' and e.subject_id = cast(c.id as text))`
		).map((r) => `completion ${r.id} has no course.complete audit event`),
		...all(
			`select e.id, e.subject_id from audit_event e where e.action = 'course.complete' and not exists (
			   select 1 from completion c where cast(c.id as text) = e.subject_id)`
		).map((r) => `audit event ${r.id} names missing completion ${r.subject_id}`),
		...all(
			`select s.id, s.user_id from session s where not exists (
			   select 1 from audit_event e where e.action = 'auth.sign_in' and e.outcome = 'success'
			   and e.actor_id = s.user_id and e.at = s.created_at)`
		).map((r) => `session ${r.id} of user ${r.user_id} has no audited sign-in`),
		...all(
			`select e.id, e.actor_id from audit_event e
			 where e.action = 'auth.sign_in' and e.outcome = 'success' and not exists (
			   select 1 from session s where s.user_id = e.actor_id and s.created_at = e.at)`
		).map((r) => `audited sign-in ${r.id} of user ${r.actor_id} has no session`),
		...all(
			`select e.id, e.actor_id from audit_event e
			 where e.actor_id is not null and not exists (select 1 from user u where u.id = e.actor_id)`
		).map((r) => `audit row ${r.id} names missing user ${r.actor_id}`)
	];
	const signInsAudited = one(
		`select count(*) as n from audit_event where action = 'auth.sign_in' and outcome = 'success'`
	)!.n as number;
	if (signInsAudited < learners.length + signIns.length)
		audit.push(
			`${signInsAudited} audited sign-ins, fewer than the ${learners.length + signIns.length} acknowledged`
		);

	const integrity = (db.pragma('integrity_check') as { integrity_check: string }[])
		.map((r) => r.integrity_check)
		.join('; ');
	const foreignKeys = db.pragma('foreign_key_check') as unknown[];
	return {
		lost,
		duplicates,
		audit,
		integrity: foreignKeys.length
			? `${integrity}; ${foreignKeys.length} foreign key errors`
			: integrity
	};
}
