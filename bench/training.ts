// Required training at scale, in this process on a temporary file database built from the
// migrations: an organization of 5,000 members and 12 required courses (30,000 current
// completions and 70,000 older ones, each with its certificate) for the dashboard and the first
// matrix page (time per build, p50 and p95, and how many SQL statements the first build
// prepares: statements are prepared once per connection, and none runs per member), a
// completions CSV of 100,000 rows (time and peak memory), and one reminder run over the
// organization (time). The dashboard counts the 60,000 cells with the compiled rule over facts
// reduced in SQL (training/roster-counts.ts); the matrix computes statuses for its page only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCatalog } from '../src/lib/server/courses/catalog';
import { readCourseFiles } from '../src/lib/server/courses/read-files';
import { openDatabase, type DB } from '../src/lib/server/db';
import { trainingDashboard, trainingMatrix } from '../src/lib/server/training/dashboard';
import { COMPLETION_COLUMNS, completionRows, csvStream } from '../src/lib/server/training/exports';
import { runReminders } from '../src/lib/server/training/reminders';

export interface TrainingTimes {
	members: number;
	courses: number;
	completions: number;
	dashboard: { p50: number; p95: number; queries: number };
	matrix: { p50: number; p95: number; queries: number };
	csv: { rows: number; ms: number; peakRssMb: number; baseRssMb: number };
	reminders: { ms: number; sent: number };
}

const DAY = 86_400_000;

function seed(db: DB, members: number, courses: number, csvRows: number) {
	const c = db.$client;
	const now = Date.now();
	c.prepare(
		"insert into user (email, name, password_hash, created_at, password_changed_at) values ('boss@bench', 'Boss', 'x', 0, 0)"
	).run();
	c.prepare(
		"insert into organization (slug, name, kind, time_zone, created_at) values ('bench', 'Bench PD', 'department', 'America/Chicago', 0)"
	).run();
	const orgId = 1;
	const groups = ['Day shift', 'Night shift', 'Investigations', 'Traffic'].map(
		(name) =>
			c
				.prepare('insert into org_group (org_id, name, kind) values (?, ?, ?)')
				.run(orgId, name, 'shift').lastInsertRowid as number
	);
	const addUser = c.prepare(
		'insert into user (email, name, password_hash, created_at, password_changed_at) values (?, ?, ?, ?, ?)'
	);
	const addMember = c.prepare(
		'insert into membership (org_id, user_id, role, employee_id, active, created_at) values (?, ?, ?, ?, 1, ?)'
	);
	const addGroup = c.prepare(
		'insert into group_member (group_id, membership_id, added_at) values (?, ?, ?)'
	);
	const addCompletion = c.prepare(
		"insert into completion (user_id, course_slug, content_version, score, method, completed_at) values (?, ?, '1', 90, ?, ?)"
	);
	const addCert = c.prepare(
		"insert into certificate (code, completion_id, user_id, course_slug, course_title, content_version, holder_name, issuer, credit_hours, completed_at, issued_at, expires_at) values (?, ?, ?, ?, ?, '1', ?, 'Bench PD', 1.5, ?, ?, ?)"
	);
	const slugs = Array.from({ length: courses }, (_, i) =>
		i < 4
			? ['roll-call', 'campus-guide', 'victim-centered-interviewing', 'volunteer-onboarding'][i]!
			: `bench-course-${i + 1}`
	);
	let completions = 0;
	c.transaction(() => {
		c.prepare(
			'insert into membership (org_id, user_id, role, active, created_at) values (1, 1, ?, 1, 0)'
		).run('supervisor');
		const userIds: number[] = [];
		for (let i = 0; i < members; i++) {
			const joined = now - (30 + (i % 700)) * DAY;
			const userId = addUser.run(
				`m${i}@bench`,
				`Member ${String(i).padStart(5, '0')}`,
				'x',
				joined,
				joined
			).lastInsertRowid as number;
			userIds.push(userId);
			const m = addMember.run(orgId, userId, 'learner', String(10000 + i), joined)
				.lastInsertRowid as number;
			addGroup.run(groups[i % groups.length], m, joined);
			for (let k = 0; k < courses; k++) {
				if ((i + k) % 2) continue;
				const at = now - ((i * 7 + k * 31) % 500) * DAY;
				const id = addCompletion.run(userId, slugs[k], k % 3 ? 'self-paced' : 'roll-call', at)
					.lastInsertRowid as number;
				addCert.run(
					`B${id}`,
					id,
					userId,
					slugs[k],
					slugs[k],
					`Member ${i}`,
					at,
					at,
					at + 365 * DAY
				);
				completions++;
			}
		}
		// More completion history (older cycles) until the CSV has `csvRows` rows.
		for (let n = completions; n < csvRows; n++) {
			const userId = userIds[n % members]!;
			const at = now - (500 + (n % 900)) * DAY;
			const id = addCompletion.run(userId, slugs[n % courses], 'self-paced', at)
				.lastInsertRowid as number;
			addCert.run(
				`B${id}`,
				id,
				userId,
				slugs[n % courses],
				slugs[n % courses],
				'Member',
				at,
				at,
				at + 365 * DAY
			);
		}
		const addAssignment = c.prepare(
			"insert into assignment (org_id, series_id, course_slug, scope, group_ids, user_ids, due_kind, due_days, renewal_months, created_by, created_at, since) values (1, ?, ?, 'org', '[]', '[]', 'after_joining', 30, 12, 1, ?, ?)"
		);
		slugs.forEach((slug, k) => addAssignment.run(k + 1, slug, now - 800 * DAY, now - 800 * DAY));
	})();
	return { completions: Math.max(completions, csvRows) };
}

function counted<T>(db: DB, fn: () => T): { value: T; queries: number } {
	const client = db.$client;
	const original = client.prepare.bind(client);
	let queries = 0;
	client.prepare = ((source: string) => {
		queries++;
		return original(source);
	}) as typeof client.prepare;
	try {
		return { value: fn(), queries };
	} finally {
		client.prepare = original;
	}
}

function percentiles(samples: number[]) {
	const s = [...samples].sort((a, b) => a - b);
	return {
		p50: s[Math.floor(s.length / 2)]!,
		p95: s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]!
	};
}

export async function timeTraining(
	opts: { members?: number; courses?: number; csvRows?: number; runs?: number } = {}
): Promise<TrainingTimes> {
	const members = opts.members ?? 5000;
	const courses = opts.courses ?? 12;
	const csvRows = opts.csvRows ?? 100_000;
	const runs = opts.runs ?? 20;
	const dir = mkdtempSync(join(tmpdir(), 'muster-bench-training-'));
	try {
		const { db } = openDatabase(join(dir, 'bench.db'));
		const seeded = seed(db, members, courses, csvRows);
		const org = { id: 1, timeZone: 'America/Chicago', name: 'Bench PD' };
		const time = (fn: () => unknown) => {
			const samples: number[] = [];
			for (let i = 0; i < runs; i++) {
				const t = performance.now();
				fn();
				samples.push(performance.now() - t);
			}
			return percentiles(samples);
		};
		const dashboardQueries = counted(db, () => trainingDashboard(db, org)).queries;
		const matrixQueries = counted(db, () => trainingMatrix(db, org, { page: 1 })).queries;
		const dashboard = { ...time(() => trainingDashboard(db, org)), queries: dashboardQueries };
		const matrix = { ...time(() => trainingMatrix(db, org, { page: 1 })), queries: matrixQueries };

		const catalog = buildCatalog(readCourseFiles(process.cwd()));
		global.gc?.();
		const baseRss = process.memoryUsage().rss;
		let peak = baseRss;
		const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
		let t = performance.now();
		const reader = csvStream(COMPLETION_COLUMNS, completionRows(db, org, catalog)).getReader();
		let lines = 0;
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			for (const b of value) if (b === 10) lines++;
		}
		const csvMs = performance.now() - t;
		clearInterval(sampler);
		peak = Math.max(peak, process.memoryUsage().rss);

		let sent = 0;
		t = performance.now();
		await runReminders(
			db,
			{ send: async () => void sent++ },
			{ origin: 'http://bench', instanceName: 'Muster', titles: new Map() }
		);
		const remindersMs = performance.now() - t;
		db.$client.close();
		return {
			members,
			courses,
			completions: seeded.completions,
			dashboard,
			matrix,
			csv: { rows: lines - 1, ms: csvMs, peakRssMb: peak / 2 ** 20, baseRssMb: baseRss / 2 ** 20 },
			reminders: { ms: remindersMs, sent }
		};
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

export function describeTraining(r: TrainingTimes): string {
	const f = (n: number) => n.toFixed(1);
	return [
		`Required training, ${r.members} members × ${r.courses} required courses (${r.completions} completions), in process:`,
		`  dashboard: p50 ${f(r.dashboard.p50)} ms, p95 ${f(r.dashboard.p95)} ms, ${r.dashboard.queries} SQL statements (none per row)`,
		`  first matrix page: p50 ${f(r.matrix.p50)} ms, p95 ${f(r.matrix.p95)} ms, ${r.matrix.queries} SQL statements`,
		`  completions CSV: ${r.csv.rows} rows in ${f(r.csv.ms)} ms, peak RSS ${f(r.csv.peakRssMb)} MB (${f(r.csv.baseRssMb)} MB before)`,
		`  one reminder run: ${f(r.reminders.ms)} ms, ${r.reminders.sent} reminders`
	].join('\n');
}

if (process.argv[1]?.endsWith('bench/training.ts')) {
	const small = process.env.BENCH_TRAINING_SMALL === '1';
	const r = await timeTraining(
		small ? { members: 500, courses: 12, csvRows: 10_000, runs: 5 } : {}
	);
	console.log(describeTraining(r));
}
