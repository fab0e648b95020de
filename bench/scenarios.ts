// The measured scenarios, run one after another (two cores: one load at a time, except the
// flood, which is the point of its scenario). Each returns its statistics; run.ts judges them.
import Database from 'better-sqlite3';
import type autocannon from 'autocannon';
import { cpuMsOf, cpuSnapshot, otherShare } from './cpu';
import { FLOOD_ADDRESS, formHeaders, LEARNER_ADDRESS } from './http';
import { describeStatuses, runLoad, warmUp, type Load, type Stats } from './load';
import type { Seeded } from './seed';
import type { Server } from './servers';
import type { Submitter } from './submitters';

export const MODULE_PATH = '/courses/roll-call/first-contact';
const ONBOARDING = '/courses/volunteer-onboarding';

export interface Bench {
	app: Server;
	baseline: Server;
	seeded: Seeded;
	/** Session cookies of the signed-in officers, from the real sign-in form. */
	officerCookies: string[];
	adminCookie: string;
	dbPath: string;
	/** Seconds each timed load runs. */
	duration: number;
}

/** Round-robin over a list: each call gives the next item. */
function cycle<T>(items: T[]): () => T {
	let i = 0;
	return () => items[i++ % items.length]!;
}

function log(label: string, stats: Stats): void {
	const f = (n: number) => n.toFixed(1);
	const unexpected = stats.unexpected ? `  ${stats.unexpected} UNEXPECTED` : '';
	const other = stats.otherCpu
		? `; other processes took ${Math.round(stats.otherCpu * 100)}% of the CPU`
		: '';
	console.log(
		`  ${label}: ${Math.round(stats.rps)} req/s, p50 ${f(stats.p50)} ms, p97.5 ${f(stats.p97_5)} ms, ` +
			`p99 ${f(stats.p99)} ms, ${((stats.bytes ?? 0) / 1024).toFixed(1)} KiB per response ` +
			`(${describeStatuses(stats)})${unexpected}${other}` +
			(stats.cpuMsPerRequest
				? `; server CPU ${stats.cpuMsPerRequest.toFixed(2)} ms per answer`
				: '')
	);
}

/**
 * Warms up, then runs the load once, noting how much CPU other processes took meanwhile and how
 * much the serving process spent per answer.
 */
async function measure(label: string, load: Load, bench: Bench): Promise<Stats> {
	await warmUp(load);
	const stats = await watched(bench, () =>
		serverCpu(bench, load, () => runLoad({ duration: bench.duration, ...load }))
	);
	log(label, stats);
	return stats;
}

/** Runs a load, adding the serving process's CPU milliseconds per answer to its statistics. */
async function serverCpu(bench: Bench, load: Load, run: () => Promise<Stats>): Promise<Stats> {
	const pid = load.url === bench.baseline.url ? bench.baseline.pid : bench.app.pid;
	const before = cpuMsOf(pid);
	const stats = await run();
	const after = cpuMsOf(pid);
	const cpuMsPerRequest =
		before === null || after === null || stats.requests === 0
			? null
			: (after - before) / stats.requests;
	return { ...stats, cpuMsPerRequest };
}

export async function watched<T extends object>(
	bench: Pick<Bench, 'app' | 'baseline'>,
	run: () => Promise<T>
): Promise<T & { otherCpu: number | null }> {
	const pids = [process.pid, bench.app.pid, bench.baseline.pid];
	const before = cpuSnapshot(pids);
	const result = await run();
	return { ...result, otherCpu: otherShare(before, cpuSnapshot(pids)) };
}

function getAs(path: () => string, cookie: () => string | undefined): () => autocannon.Request {
	return () => {
		const headers: Record<string, string> = { 'x-forwarded-for': LEARNER_ADDRESS };
		const p = path(); // first: a path may pick the cookie that goes with it
		const c = cookie();
		if (c) headers.cookie = c;
		return { method: 'GET', path: p, headers };
	};
}

export function barePage(bench: Bench): Promise<Stats> {
	const load = { url: bench.baseline.url, request: { path: '/' }, expect: 200 };
	return measure('bare SvelteKit page', load, bench);
}

export function bareForm(bench: Bench): Promise<Stats> {
	const request = { method: 'POST', path: '/form', headers: formHeaders(bench.baseline), body: '' };
	return measure(
		'bare form action (1 row, FULL)',
		{ url: bench.baseline.url, request, expect: 303 },
		bench
	);
}

/**
 * The baseline's /sized route: the module page's own markup and data (captured from Muster by
 * bench/sized.ts) sent by a bare SvelteKit page, the floor under the module page's figures.
 */
export function sizedPage(bench: Bench): Promise<Stats> {
	const load = { url: bench.baseline.url, request: { path: '/sized' }, expect: 200 };
	return measure('bare page carrying the module page', load, bench);
}

function moduleLoad(bench: Bench): Load {
	const request = getAs(() => MODULE_PATH, cycle(bench.officerCookies));
	return { url: bench.app.url, request, expect: 200 };
}

export function modulePage(bench: Bench): Promise<Stats> {
	return measure(`module page ${MODULE_PATH}`, moduleLoad(bench), bench);
}

/** The same page for a client that accepts gzip: what compressing it costs the server. */
export function modulePageGzip(bench: Bench): Promise<Stats> {
	const plain = getAs(() => MODULE_PATH, cycle(bench.officerCookies));
	const request = () => {
		const r = plain();
		return { ...r, headers: { ...r.headers, 'accept-encoding': 'gzip' } };
	};
	return measure(`module page ${MODULE_PATH}, gzip`, { ...moduleLoad(bench), request }, bench);
}

export function homePage(bench: Bench): Promise<Stats> {
	const load = {
		url: bench.app.url,
		request: getAs(() => '/', cycle(bench.officerCookies)),
		expect: 200
	};
	return measure('learner home page /', load, bench);
}

export function verifyPage(bench: Bench): Promise<Stats> {
	// A thousand different seeded codes, so the look-up walks the index rather than one hot row.
	const code = cycle(bench.seeded.codes.slice(0, 1000));
	const load = {
		url: bench.app.url,
		request: getAs(
			() => `/verify/${code()}`,
			() => undefined
		),
		expect: 200
	};
	return measure('certificate verification /verify/CODE', load, bench);
}

export function cachedPdf(bench: Bench, connections = 32): Promise<Stats> {
	// Each officer downloads their own certificate: after the first, every answer is a cache hit.
	const pairs = bench.seeded.officers.map((o, i) => ({
		code: o.code,
		cookie: bench.officerCookies[i]!
	}));
	const next = cycle(pairs);
	let current = pairs[0]!;
	const request = getAs(
		() => ((current = next()), `/certificates/${current.code}.pdf`),
		() => current.cookie
	);
	const label = `certificate PDF over HTTP (cached, ${connections} connection${connections > 1 ? 's' : ''})`;
	// One connection measures the time of one download, not the queue: 5 s are plenty.
	const duration = connections === 1 ? bench.duration / 2 : bench.duration;
	return measure(label, { url: bench.app.url, request, expect: 200, connections, duration }, bench);
}

export function freshPdf(bench: Bench): Promise<Stats> {
	// An administrator walking through thousands of codes: the 200-entry cache never hits.
	const code = cycle(bench.seeded.codes);
	const request = getAs(
		() => `/certificates/${code()}.pdf`,
		() => bench.adminCookie
	);
	// Half the usual time: at a few dozen renders a second, 5 s give enough samples.
	const load = { url: bench.app.url, request, expect: 200, duration: bench.duration / 2 };
	return measure('certificate PDF over HTTP (fresh renders)', load, bench);
}

function submitLoad(bench: Bench, submitters: Submitter[]): Load {
	let i = 0;
	return {
		url: bench.app.url,
		expect: 303,
		amount: submitters.length,
		request: () => {
			// Never past the end: a reused learner would be a no-op, and the check below would say so.
			const s = submitters[Math.min(i++, submitters.length - 1)]!;
			return {
				method: 'POST',
				path: `${ONBOARDING}/assessment/${s.attemptId}?/submit`,
				headers: { ...formHeaders(bench.app), cookie: s.cookie },
				body: s.body
			};
		}
	};
}

export interface SubmitCheck {
	submissions: number;
	completions: number;
	certificates: number;
	ok: boolean;
}

/** Counts, in the database, the completions and certificates the submissions produced. */
function countCompletions(dbPath: string, submitters: Submitter[]): SubmitCheck {
	const db = new Database(dbPath, { readonly: true });
	try {
		const ids = JSON.stringify(submitters.map((s) => s.attemptId));
		const row = db
			.prepare(
				`select count(distinct c.id) as completions, count(distinct ce.id) as certificates
				 from completion c left join certificate ce on ce.completion_id = c.id
				 where c.attempt_id in (select value from json_each(?))`
			)
			.get(ids) as { completions: number; certificates: number };
		const n = submitters.length;
		return { submissions: n, ...row, ok: row.completions === n && row.certificates === n };
	} finally {
		db.close();
	}
}

export async function submitAssessment(
	bench: Bench
): Promise<{ stats: Stats; check: SubmitCheck }> {
	await runLoad(submitLoad(bench, bench.seeded.warmSubmitters));
	const load = submitLoad(bench, bench.seeded.submitters);
	const stats = await watched(bench, () => serverCpu(bench, load, () => runLoad(load)));
	log(`assessment submissions (${bench.seeded.submitters.length}, each completes a course)`, stats);
	const check = countCompletions(bench.dbPath, bench.seeded.submitters);
	console.log(
		`  check: ${check.completions} completions and ${check.certificates} certificates for ` +
			`${check.submissions} submissions: ${check.ok ? 'every request completed a course' : 'MISMATCH'}`
	);
	return { stats, check };
}

/**
 * Module pages while another address floods the sign-in form with wrong passwords. The flood
 * starts first, so its address is already paused (after 50 failures) when measuring begins.
 */
export async function floodedModulePage(
	bench: Bench,
	flood: { connections: number; rate?: number }
): Promise<{ stats: Stats; flood: Stats }> {
	const email = cycle(bench.seeded.learnerEmails);
	let n = 0;
	let measured = (): void => undefined;
	const until = new Promise<void>((done) => (measured = done));
	const floodLoad: Load = {
		url: bench.app.url,
		connections: flood.connections,
		rate: flood.rate,
		duration: bench.duration + 60, // stopped as soon as the measured load ends
		until,
		expect: 429,
		// Wrong passwords are answered (400) until the address has 50 recorded failures, then
		// paused (429). Up to one guess per connection can be in flight when the 50th is written
		// (the address limit counts recorded failures, so a shift can sign in at once); more than
		// that would mean guesses got past the limiter.
		allow: { 400: 50 + flood.connections },
		request: () => ({
			method: 'POST',
			path: '/login',
			headers: formHeaders(bench.app, FLOOD_ADDRESS),
			body: new URLSearchParams({ email: email(), password: `wrong-guess-${n++}` }).toString()
		})
	};
	const flooding = runLoad(floodLoad);
	await new Promise((r) => setTimeout(r, 1_000));
	await warmUp(moduleLoad(bench), 2);
	const stats = await watched(bench, () =>
		runLoad({ ...moduleLoad(bench), duration: bench.duration })
	);
	measured();
	const floodStats = await flooding;
	const rate = flood.rate ? `${flood.rate} req/s` : 'as fast as answered';
	log(`module page under a sign-in flood (${flood.connections} connections, ${rate})`, stats);
	log('  the flood itself', floodStats);
	return { stats, flood: floodStats };
}
