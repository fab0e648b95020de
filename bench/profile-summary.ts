// `npx tsx bench/profile-summary.ts <dir>`: reads the CPU profiles that `BENCH_PROFILE=<dir>
// npm run bench` wrote, takes Muster's main thread (the profile in which its hooks ran), keeps
// the seconds under load (after start-up, at least 90% busy) and prints where that time went:
// by layer (Node, V8 and the socket writes; SvelteKit; Svelte rendering; Muster's own code;
// SQLite; Drizzle; garbage collection) and the functions with the most time of their own. Run
// it on a profile of one scenario (BENCH_ONLY=module, or submit) to read that scenario alone.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface CallFrame {
	functionName: string;
	url: string;
	lineNumber: number;
}
interface Profile {
	nodes: { id: number; callFrame: CallFrame }[];
	samples: number[];
	timeDeltas: number[];
}

/** The layer a function belongs to, from its file. */
function layer({ functionName: fn, url }: CallFrame): string | null {
	if (fn === '(idle)') return null;
	if (fn === '(garbage collector)') return 'garbage collection';
	if (/better-sqlite3/.test(url)) return 'SQLite (better-sqlite3, native time included)';
	if (/drizzle-orm/.test(url)) return 'Drizzle';
	if (/node_modules\/(compression|on-headers|compressible|negotiator|vary)/.test(url))
		return 'compression middleware';
	if (/chunks\/(server2|internal)\.js|\/svelte\//.test(url)) return 'Svelte rendering';
	if (
		/chunks\/(index|handler)\.js|chunks\/chunks\/(exports|utils|shared|shared-server|server)\.js/.test(
			url
		)
	)
		return 'SvelteKit and adapter-node';
	if (/undici|webstreams/.test(url)) return 'web Request, Response and streams';
	if (!url || url.startsWith('node:')) return 'Node, V8 and system calls';
	if (/build\/server/.test(url)) return "Muster's own code (hooks, loads, services, pages)";
	return 'other';
}

function busySeconds(p: Profile, idle: Set<number>): number[] {
	const busy: number[] = [];
	let t = 0;
	p.samples.forEach((id, i) => {
		t += p.timeDeltas[i] ?? 0;
		const s = Math.floor(t / 1e6);
		busy[s] = (busy[s] ?? 0) + (idle.has(id) ? 0 : (p.timeDeltas[i] ?? 0));
	});
	return busy.map((b) => (b ?? 0) / 1e6);
}

function summarize(p: Profile): void {
	const byId = new Map(p.nodes.map((n) => [n.id, n.callFrame]));
	const idle = new Set(
		p.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id)
	);
	const busy = busySeconds(p, idle);
	const startupEnd = busy.findIndex((b) => b < 0.1);
	const underLoad = new Set(busy.flatMap((b, s) => (s > startupEnd && b >= 0.9 ? [s] : [])));
	const layers = new Map<string, number>();
	const functions = new Map<string, number>();
	let total = 0;
	let t = 0;
	p.samples.forEach((id, i) => {
		const dt = p.timeDeltas[i] ?? 0;
		t += dt;
		if (!underLoad.has(Math.floor(t / 1e6))) return;
		const frame = byId.get(id)!;
		const l = layer(frame);
		if (!l) return;
		total += dt;
		layers.set(l, (layers.get(l) ?? 0) + dt);
		const name = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').slice(-2).join('/')}`;
		functions.set(name, (functions.get(name) ?? 0) + dt);
	});
	const pct = (v: number) => `${((100 * v) / total).toFixed(1).padStart(5)}%`;
	console.log(`${underLoad.size} s under load, ${(total / 1e6).toFixed(1)} s busy\n`);
	for (const [name, v] of [...layers].sort((a, b) => b[1] - a[1]))
		console.log(`${pct(v)}  ${name}`);
	console.log('\nFunctions with the most time of their own:');
	for (const [name, v] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, 15))
		console.log(`${pct(v)}  ${name}`);
}

const dir = process.argv[2];
if (!dir) throw new Error('usage: npx tsx bench/profile-summary.ts <BENCH_PROFILE folder>');
const profiles = readdirSync(dir)
	.filter((f) => f.endsWith('.cpuprofile'))
	.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Profile);
if (!profiles.length) throw new Error(`${dir}: no .cpuprofile files`);
// Muster's main thread is the one that ran its hooks (not the baseline, not a PDF worker).
const muster = profiles.find((p) => p.nodes.some((n) => /hooks\.server/.test(n.callFrame.url)));
if (!muster) throw new Error(`${dir}: no profile of Muster's server (run with BENCH_PROFILE)`);
summarize(muster);
