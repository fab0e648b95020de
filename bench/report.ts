import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';

export interface Figures {
	rps: number;
	p50: number;
	p95: number;
	p97_5: number;
	p99: number;
	/** The share of the machine's CPU other processes took while this was measured. */
	otherCpu?: number | null;
	/** CPU milliseconds the serving process spent per answer (see load.ts). */
	cpuMsPerRequest?: number | null;
}

/** What a row is compared with; `cpuMs` is its CPU per answer, when measured. */
export interface Baseline {
	name: string;
	rps: number;
	cpuMs?: number | null;
}

export interface Row extends Figures {
	scenario: string;
	/** What this row is compared with, measured in the same run. */
	baseline: Baseline | null;
	/** rps / baseline rps: the share of the baseline's throughput kept. */
	ratio: number | null;
	/**
	 * Baseline CPU per answer / this row's: the share of the baseline's throughput a server
	 * bound by its own CPU would keep. Steadier than `ratio` when other work shares the machine.
	 */
	cpuRatio: number | null;
	goal: string;
	/** null when the row is itself a baseline and has no goal. */
	met: boolean | null;
	note?: string;
}

export function makeRow(
	scenario: string,
	figures: Figures,
	judge: {
		baseline?: Baseline;
		goal?: string;
		met?: (ratio: number | null, f: Figures) => boolean;
		/** Anything that voids the figures (wrong statuses, a failed check). */
		valid?: boolean;
		note?: string;
	} = {}
): Row {
	const ratio = judge.baseline ? figures.rps / judge.baseline.rps : null;
	const cpuRatio =
		judge.baseline?.cpuMs && figures.cpuMsPerRequest
			? judge.baseline.cpuMs / figures.cpuMsPerRequest
			: null;
	const met = judge.met ? judge.valid !== false && judge.met(ratio, figures) : null;
	return {
		scenario,
		...figures,
		baseline: judge.baseline ?? null,
		ratio,
		cpuRatio,
		goal: judge.goal ?? '(baseline)',
		met,
		note: judge.note
	};
}

const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));

/** A plain-text table that reads in a terminal and pastes into Markdown as a code block. */
export function formatTable(rows: Row[]): string {
	const head = ['scenario', 'req/s', 'p50 ms', 'p95 ms', 'p97.5 ms', 'p99 ms'];
	head.push(
		'baseline',
		'base req/s',
		'ratio',
		'goal',
		'met',
		'other CPU',
		'CPU ms/req',
		'CPU ratio'
	);
	const body = rows.map((r) => [
		r.scenario,
		Math.round(r.rps).toString(),
		ms(r.p50),
		ms(r.p95),
		ms(r.p97_5),
		ms(r.p99),
		r.baseline?.name ?? '',
		r.baseline ? Math.round(r.baseline.rps).toString() : '',
		r.ratio === null ? '' : `${Math.round(r.ratio * 100)}%`,
		r.goal,
		r.met === null ? '' : r.met ? 'yes' : 'NO',
		typeof r.otherCpu === 'number' ? `${Math.round(r.otherCpu * 100)}%` : '',
		typeof r.cpuMsPerRequest === 'number' ? r.cpuMsPerRequest.toFixed(2) : '',
		r.cpuRatio === null ? '' : `${Math.round(r.cpuRatio * 100)}%`
	]);
	const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
	const numeric = new Set([1, 2, 3, 4, 5, 7, 8, 11, 12, 13]);
	const line = (cells: string[]) =>
		cells
			.map((c, i) => (numeric.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
			.join('  ')
			.trimEnd();
	return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

export interface Machine {
	date: string;
	cpu: string;
	cores: number;
	node: string;
	os: string;
}

export function describeMachine(): Machine {
	let cpu = cpus()[0]?.model ?? 'unknown';
	let os: string = process.platform;
	try {
		cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m)?.[1] ?? cpu;
		os = execSync('uname -sr', { encoding: 'utf8' }).trim();
	} catch {
		// Not Linux: Node's own names for the processor and the system will do.
	}
	return {
		date: new Date().toISOString(),
		cpu: cpu.trim(),
		cores: availableParallelism(),
		node: process.version,
		os
	};
}

/** The share of all CPU time spent busy over `ms`, from /proc/stat; null where there is none. */
export async function cpuBusy(ms = 1000): Promise<number | null> {
	const sample = () => {
		const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1);
		const n = f.map(Number);
		const idle = n[3]! + (n[4] ?? 0);
		return { idle, total: n.reduce((a, b) => a + b, 0) };
	};
	try {
		const a = sample();
		await new Promise((r) => setTimeout(r, ms));
		const b = sample();
		return 1 - (b.idle - a.idle) / (b.total - a.total);
	} catch {
		return null;
	}
}
