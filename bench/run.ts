// `npm run bench`: builds Muster and a bare SvelteKit baseline, seeds a database with 5,000
// learners, serves both on loopback and measures each scenario of the performance issue with
// autocannon (32 connections), beside the baseline measured in the same run. Prints a table and
// writes it as JSON to bench/results/latest.json. Environment: BENCH_DURATION (seconds per load,
// default 10), BENCH_FLOOD_RATE (requests per second of the second, paced flood; default
// 100), BENCH_PROFILE (a folder for a CPU profile of the Muster server), BENCH_ONLY (a
// comma-separated list of scenarios to run, e.g. `submit,module`; see SCENARIOS; the baselines
// they are judged against run too) and BENCH_NO_BUILD=1 (reuse build/ and the baseline's build).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { catalog } from '../tests/fixtures/courses';
import { pageScripts, type PageScripts } from './bundle';
import { fetchPage, signIn } from './http';
import { timeRenders } from './pdf';
import { pagesBesidePdfBurst } from './pdf-burst';
import { describeCredentials, timeCredentials } from './credentials';
import { captureSizedPage } from './sized';
import { timeRollcall, type RollcallTimes } from './rollcall';
import { timeRosterImport } from './roster';
import { describeTraining, timeTraining, type TrainingTimes } from './training';
import { cpuBusy, describeMachine, formatTable } from './report';
import * as scenario from './scenarios';
import { ADMIN_EMAIL, BENCH_PASSWORD, seedDatabase } from './seed';
import { startServer, stopAll, viteBuild, type Server } from './servers';
import { buildTable, type Measurements } from './table';

const duration = Number(process.env.BENCH_DURATION ?? 10);
const floodRate = Number(process.env.BENCH_FLOOD_RATE ?? 100);
const began = performance.now();
const elapsed = () => `${((performance.now() - began) / 1000).toFixed(0)} s`;
const step = (text: string) => console.log(`\n[${elapsed()}] ${text}`);

/** What BENCH_ONLY can name; every one runs when it is unset. */
const SCENARIOS = [
	'bundles',
	'module',
	'gzip',
	'home',
	'verify',
	'submit',
	'pdf',
	'roster',
	'rollcall',
	'training',
	'credentials',
	'flood'
] as const;
type ScenarioName = (typeof SCENARIOS)[number];
const only = process.env.BENCH_ONLY?.split(',')
	.map((s) => s.trim())
	.filter(Boolean);
for (const name of only ?? []) {
	if (!(SCENARIOS as readonly string[]).includes(name))
		throw new Error(`BENCH_ONLY: no scenario "${name}" (one of ${SCENARIOS.join(', ')})`);
}
const want = (name: ScenarioName) => !only || only.includes(name);
/** The bare page is the baseline of every page scenario (the flood's is the module page). */
const wantBarePage = ['module', 'gzip', 'home', 'verify', 'pdf', 'flood'].some((n) =>
	want(n as ScenarioName)
);

function describeRollcall(r: RollcallTimes): string {
	return (
		`${r.recorded}/${r.joiners} recorded; all acknowledged in ${r.allAcknowledgedMs.toFixed(0)} ms ` +
		`(median join ${r.joinP50Ms.toFixed(0)} ms); a join reaches the presence endpoint in ` +
		`${r.presenceDelayP50Ms.toFixed(1)} ms (max ${r.presenceDelayMaxMs.toFixed(1)} ms), ` +
		`so the presenter (polling every second) shows it within ${(r.presenterWorstMs / 1000).toFixed(2)} s`
	);
}

const work = mkdtempSync(join(tmpdir(), 'muster-bench-'));
const servers: Server[] = [];

async function main(): Promise<void> {
	const machine = describeMachine();
	console.log(
		`Muster benchmark, ${machine.date}: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}`
	);
	const busyBefore = await cpuBusy();
	if (busyBefore !== null) {
		const pct = Math.round(busyBefore * 100);
		const warning = pct > 15 ? ': other work is running, and every figure will suffer' : '';
		console.log(`  CPU busy before the run: ${pct}%${warning}`);
	}

	if (process.env.BENCH_NO_BUILD === '1') {
		step('Reusing the builds in build/ and bench/baseline/build/ (BENCH_NO_BUILD=1)');
	} else {
		step('Building Muster and the baseline app (vite build)');
		console.log(`  Muster built in ${(await viteBuild('.')).toFixed(1)} s`);
		console.log(`  baseline built in ${(await viteBuild('bench/baseline')).toFixed(1)} s`);
	}

	step('Seeding a fresh database');
	const dbPath = join(work, 'muster.db');
	const seeded = await seedDatabase(dbPath, catalog.courses, {
		learners: 5000,
		officers: 8,
		submitters: want('submit') ? 2000 : 0,
		warmSubmitters: want('submit') || want('bundles') ? 200 : 0
	});
	const rows = Object.entries(seeded.rows).map(([t, n]) => `${n} ${t}`);
	console.log(`  ${rows.join(', ')} in ${seeded.seconds.toFixed(1)} s`);

	step('Starting both servers on loopback');
	const sizedFile = join(work, 'sized.json');
	const baseline = await startServer('baseline', resolve('bench/baseline/build/index.js'), {
		BASELINE_DATABASE_URL: join(work, 'baseline.db'),
		// Written below, once an officer has signed in; read at the first request to /sized.
		BASELINE_SIZED: sizedFile
	});
	servers.push(baseline);
	const app = await startServer('Muster', resolve('scripts/server.js'), {
		DATABASE_URL: dbPath,
		MUSTER_DEMO: '0',
		VERIFY_PER_MINUTE: '1000000000',
		// The sign-in limiter keys on the client address: the flood and the learners send
		// different X-Forwarded-For addresses from the same loopback socket.
		ADDRESS_HEADER: 'x-forwarded-for',
		XFF_DEPTH: '1'
	});
	servers.push(app);
	console.log(`  baseline at ${baseline.url}, Muster at ${app.url}`);

	const officerCookies = [];
	for (const o of seeded.officers) officerCookies.push(await signIn(app, o.email, BENCH_PASSWORD));
	const adminCookie = await signIn(app, ADMIN_EMAIL, BENCH_PASSWORD);
	console.log(`  ${officerCookies.length + 1} accounts signed in through the sign-in form`);
	const bench: scenario.Bench = {
		app,
		baseline,
		seeded,
		officerCookies,
		adminCookie,
		dbPath,
		duration
	};

	let bundles: Record<string, PageScripts> | undefined;
	if (want('bundles')) {
		step('JavaScript shipped by the build (gzipped)');
		const warm = seeded.warmSubmitters[0]!;
		const moduleHtml = await fetchPage(app, scenario.MODULE_PATH, officerCookies[0]);
		const attemptPath = `/courses/volunteer-onboarding/assessment/${warm.attemptId}`;
		const attemptHtml = await fetchPage(app, attemptPath, warm.cookie);
		const lesson = catalog.bySlug
			.get('roll-call')!
			.modules.find((m) => m.slug === 'first-contact')!;
		bundles = {
			modulePage: pageScripts(moduleHtml, app.url + scenario.MODULE_PATH, lesson.file),
			assessmentPage: pageScripts(attemptHtml, app.url + attemptPath)
		};
		for (const [name, b] of Object.entries(bundles)) {
			const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
			console.log(`  ${name}: ${kb(b.gzip)} gzipped (${kb(b.raw)} raw, ${b.files} files)`);
		}
	}

	const m: Measurements = {};
	if (wantBarePage) {
		step(`Baseline: the bare page, ${duration} s per load at 32 connections after a 2 s warm-up`);
		m.barePageFirst = await scenario.barePage(bench);
	}
	if (want('module') || want('gzip') || want('flood')) {
		step('1. Module page of a signed-in officer');
		m.modulePage = await scenario.modulePage(bench);
	}
	if (want('module')) {
		const size = await captureSizedPage(app, scenario.MODULE_PATH, officerCookies[0]!, sizedFile);
		step(
			`1. The same ${(size.htmlBytes / 1024).toFixed(1)} KiB from a bare page (its markup and data, no work)`
		);
		m.sizedPage = await scenario.sizedPage(bench);
	}
	if (want('gzip')) m.modulePageGzip = await scenario.modulePageGzip(bench);
	if (want('home') || want('verify')) step('3. Home page and certificate verification');
	if (want('home')) m.home = await scenario.homePage(bench);
	if (want('verify')) m.verify = await scenario.verifyPage(bench);
	if (want('submit')) {
		step('Baseline: the bare form action (one row, synchronous=FULL)');
		m.bareForm = await scenario.bareForm(bench);
		step('2. Submitting an assessment that completes a course and issues a certificate');
		m.submit = await scenario.submitAssessment(bench);
	}
	if (want('pdf')) {
		step('4. Certificate PDF: in this process (20 warm-ups, 200 renders), then over HTTP');
		m.renders = await scenario.watched(bench, timeRenders);
		for (const [name, r] of [
			['muster', m.renders.muster],
			['bare pdf-lib', m.renders.bare]
		] as const) {
			const f = (n: number) => n.toFixed(2);
			console.log(
				`  ${name}: cold ${f(r.coldMs)} ms, median ${f(r.p50)} ms, p95 ${f(r.p95)} ms, ${r.bytes} bytes`
			);
		}
	}
	let roster: ReturnType<typeof timeRosterImport> | undefined;
	if (want('roster')) {
		step('Roster import in this process: 5,000 rows, 20 of them bad');
		roster = timeRosterImport();
		console.log(
			`  preview ${roster.previewMs.toFixed(0)} ms, import ${roster.importMs.toFixed(0)} ms ` +
				`(${roster.invited} invites), the same file again ${roster.reimportMs.toFixed(0)} ms (no changes)`
		);
	}
	let rollcall: RollcallTimes | undefined;
	if (want('rollcall')) {
		step('Roll call: 50 officers join one session at the same moment; the presenter update delay');
		rollcall = await timeRollcall(app, dbPath);
		console.log(`  ${describeRollcall(rollcall)}`);
	}
	let training: TrainingTimes | undefined;
	if (want('training')) {
		step('Required training in this process: 5,000 members × 12 courses, a 100,000-row CSV');
		training = await timeTraining();
		console.log(describeTraining(training));
	}
	if (want('credentials')) {
		step('Records: sign and verify one Open Badges credential; one chained audit append');
		m.credentials = await timeCredentials();
		console.log(describeCredentials(m.credentials));
	}
	if (want('pdf')) {
		m.cachedPdf = await scenario.cachedPdf(bench);
		m.cachedPdfAlone = await scenario.cachedPdf(bench, 1);
		m.freshPdf = await scenario.freshPdf(bench);
		m.pdfBurst = await pagesBesidePdfBurst(bench);
	}
	if (want('flood')) {
		step('5. Module pages during a flood of wrong passwords from another address');
		m.flooded = await scenario.floodedModulePage(bench, { connections: 32 });
		m.floodedAtRate = await scenario.floodedModulePage(bench, { connections: 32, rate: floodRate });
	}
	if (wantBarePage) {
		step('Baseline again: the bare page, to see how far the machine drifted during the run');
		m.barePageLast = await scenario.barePage(bench);
	}

	for (const s of servers.splice(0)) await s.stop();
	const busyAfter = await cpuBusy();
	if (busyAfter !== null)
		console.log(`\n  CPU busy after the run: ${Math.round(busyAfter * 100)}%`);
	const table = buildTable(m, floodRate);
	console.log(
		`\nResults (${duration} s per load, 32 connections; ratio = req/s ÷ baseline req/s; ` +
			'other CPU = what other processes on the machine took meanwhile)\n'
	);
	console.log(formatTable(table));
	const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
	if (bundles)
		console.log(
			`\nGzipped JavaScript: module page ${kib(bundles.modulePage!.gzip)}, ` +
				`assessment page ${kib(bundles.assessmentPage!.gzip)}`
		);
	if (roster)
		console.log(
			`Roster import of ${roster.rows} rows (${roster.bad} bad): preview ${roster.previewMs.toFixed(0)} ms, ` +
				`import ${roster.importMs.toFixed(0)} ms`
		);
	if (rollcall) console.log(`Roll call: ${describeRollcall(rollcall)}`);
	if (training) console.log(describeTraining(training));
	const check = m.submit?.check;
	if (check)
		console.log(
			`Submission check: ${check.completions}/${check.submissions} completions, ` +
				`${check.certificates}/${check.submissions} certificates`
		);
	if (m.barePageFirst && m.barePageLast) {
		const drift = m.barePageLast.rps / m.barePageFirst.rps - 1;
		console.log(
			`Bare page at the start and the end: ${Math.round(m.barePageFirst.rps)} and ` +
				`${Math.round(m.barePageLast.rps)} req/s (${drift >= 0 ? '+' : ''}${Math.round(drift * 100)}%); ratios use their mean`
		);
	}

	mkdirSync('bench/results', { recursive: true });
	const json = {
		machine,
		// Other processes on the machine distort every figure: the CPU they used, sampled for
		// a second before the run and after it.
		cpuBusy: { before: busyBefore, after: busyAfter },
		settings: { duration, connections: 32, floodRate, learners: 5000, only: only ?? null },
		seeded: seeded.rows,
		table,
		bundles,
		renders: m.renders,
		pdfBurst: m.pdfBurst && { downloads: m.pdfBurst.pdf },
		submitCheck: check,
		roster,
		rollcall,
		training,
		credentials: m.credentials,
		flood: m.flooded &&
			m.floodedAtRate && { unthrottled: m.flooded.flood, atRate: m.floodedAtRate.flood },
		wallSeconds: (performance.now() - began) / 1000
	};
	// A partial run (BENCH_ONLY) writes beside the full run's file, never over it.
	const out = only ? 'bench/results/partial.json' : 'bench/results/latest.json';
	writeFileSync(out, `${JSON.stringify(json, null, '\t')}\n`);
	console.log(`\nWritten to ${out}; the whole run took ${elapsed()}.`);
}

try {
	await main();
} catch (e) {
	console.error('\nThe benchmark failed:', e);
	process.exitCode = 1;
} finally {
	for (const s of servers) await s.stop().catch(() => undefined);
	stopAll();
	rmSync(work, { recursive: true, force: true });
}
