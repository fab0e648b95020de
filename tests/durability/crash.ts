// `npm run test:crash`: drives the production build with waves of 200 concurrent writes
// (module completions, assessment submissions that complete a course, sign-ins), kills it with
// SIGKILL while requests are in flight, restarts it, and repeats. Then it checks the database:
// every write the client saw acknowledged is there, nothing is duplicated, the file is intact
// and the audit trail agrees with the sessions it records. Exits non-zero on any loss.
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
	freePort,
	killHard,
	requireBuild,
	send,
	sessionFrom,
	signInOverHttp,
	startServer,
	type RunningServer
} from './server';
import {
	PASSWORD,
	acknowledges,
	seedLearners,
	shuffle,
	tempDir,
	writesOf,
	type Learner,
	type Write
} from './seed';
import { checkRecords, type SignInAck } from './crash-check';

const KILLS = Number(process.env.CRASH_KILLS ?? 12);
const LEARNERS = Number(process.env.CRASH_LEARNERS ?? 250);
const WAVE = 200;
const SIGNINS_PER_WAVE = 10;
const TIME_LIMIT_MS = 110_000;

type Op = { kind: 'write'; write: Write } | { kind: 'signin'; learner: Learner };
type Outcome = 'ack' | 'dropped' | 'unexpected';

const startedAt = Date.now();
const elapsed = () => ((Date.now() - startedAt) / 1000).toFixed(1);

requireBuild();
const tmp = tempDir('muster-crash-');
const dbPath = join(tmp.dir, 'muster.db');
const learners = await seedLearners(dbPath, LEARNERS);
const port = await freePort();

const ackedWrites: Write[] = [];
const ackedSignIns: SignInAck[] = [];
const unexpected: string[] = [];
const queue: Write[] = shuffle(learners.flatMap(writesOf));

async function run(server: RunningServer, op: Op): Promise<Outcome> {
	try {
		if (op.kind === 'signin') {
			const body = new URLSearchParams({ email: op.learner.email, password: PASSWORD });
			const reply = await send(server, 'POST', '/login', { body: body.toString() });
			const token = reply.status === 303 ? sessionFrom(reply) : null;
			if (!token) {
				unexpected.push(`sign-in ${op.learner.email}: ${reply.status}`);
				return 'unexpected';
			}
			ackedSignIns.push({ userId: op.learner.id, sessionId: token.split('.')[0]! });
			return 'ack';
		}
		const { write } = op;
		const reply = await send(server, 'POST', write.path, {
			cookie: write.learner.token,
			body: write.body
		});
		if (acknowledges(write, reply.status, reply.location)) {
			ackedWrites.push(write);
			return 'ack';
		}
		unexpected.push(`${write.path}: ${reply.status} ${reply.location ?? ''}`);
		return 'unexpected';
	} catch {
		// The connection died with the server: no acknowledgement, so the client tries again.
		if (op.kind === 'write') queue.push(op.write);
		return 'dropped';
	}
}

function waveOps(): Op[] {
	const writes = queue.splice(0, WAVE - SIGNINS_PER_WAVE);
	const signIns = shuffle(learners).slice(0, SIGNINS_PER_WAVE);
	return shuffle<Op>([
		...writes.map((write): Op => ({ kind: 'write', write })),
		...signIns.map((learner): Op => ({ kind: 'signin', learner }))
	]);
}

const inFlightAtKill: number[] = [];
let server = await startServer(dbPath, port);
for (let i = 0; i < learners.length; i += 16) {
	await Promise.all(
		learners.slice(i, i + 16).map(async (l) => {
			l.token = await signInOverHttp(server, l.email, PASSWORD);
		})
	);
}
console.info(`crash test: ${LEARNERS} learners seeded and signed in (${elapsed()} s)`);

while (inFlightAtKill.length < KILLS) {
	if (Date.now() - startedAt > TIME_LIMIT_MS) {
		console.error(`crash test: only ${inFlightAtKill.length} kills within the time limit`);
		process.exit(1);
	}
	const ops = waveOps();
	// Kill once a random share of the wave has been acknowledged, a few milliseconds later.
	const target = 1 + Math.floor(Math.random() * Math.floor(ops.length * 0.75));
	let pending = ops.length;
	let acks = 0;
	let killing: Promise<void> | null = null;
	const victim = server;
	const kill = () => {
		if (killing) return;
		inFlightAtKill.push(pending);
		killing = killHard(victim);
	};
	await Promise.all(
		ops.map(async (op) => {
			const outcome = await run(victim, op);
			pending -= 1;
			if (outcome === 'ack' && ++acks === target) setTimeout(kill, Math.random() * 5);
		})
	);
	kill();
	await killing;
	if (inFlightAtKill.at(-1) === 0) inFlightAtKill.pop(); // it came too late to count
	server = await startServer(dbPath, port);
}

// Every write not yet acknowledged is sent again, as a learner would, on a server left running.
while (queue.length) {
	const batch = queue.splice(0, WAVE);
	const outcomes = await Promise.all(batch.map((write) => run(server, { kind: 'write', write })));
	if (outcomes.includes('dropped')) {
		console.error(`crash test: requests failed with the server running:\n${server.stderr()}`);
		process.exit(1);
	}
}
await killHard(server);

const db = new Database(dbPath);
const report = checkRecords(db, learners, ackedWrites, ackedSignIns);
db.close();
// The hash chain after every kill: the same command an auditor runs, on the file as left.
const chain = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/audit-verify.ts'], {
	env: { ...process.env, DATABASE_URL: dbPath },
	encoding: 'utf8'
});
const chainLine = `${chain.stdout}${chain.stderr}`.trim();
tmp.remove();

const acknowledged = ackedWrites.length + ackedSignIns.length;
const completes = ackedWrites.filter((w) => w.kind === 'complete').length;
const submits = ackedWrites.length - completes;
console.info(
	`crash test: ${inFlightAtKill.length} kills with requests in flight ` +
		`(${Math.min(...inFlightAtKill)}–${Math.max(...inFlightAtKill)} in flight), ` +
		`${inFlightAtKill.length + 1} restarts, ${elapsed()} s`
);
console.info(
	`acknowledged ${acknowledged} (${completes} module completions, ${submits} submissions, ` +
		`${ackedSignIns.length} sign-ins), found ${acknowledged - report.lost.length}, lost ${report.lost.length}`
);
console.info(
	`duplicates ${report.duplicates.length}, integrity ${report.integrity}, ` +
		`audit mismatches ${report.audit.length}, unexpected replies ${unexpected.length}`
);
console.info(`audit:verify: ${chainLine}`);
const problems = [
	...report.lost.map((x) => `lost: ${x}`),
	...report.duplicates.map((x) => `duplicate: ${x}`),
	...report.audit.map((x) => `audit: ${x}`),
	...unexpected.map((x) => `unexpected reply: ${x}`)
];
if (report.integrity !== 'ok') problems.push(`integrity_check: ${report.integrity}`);
if (chain.status !== 0) problems.push(`audit:verify exited ${chain.status}: ${chainLine}`);
if (problems.length) {
	console.error(problems.slice(0, 40).join('\n'));
	process.exit(1);
}
