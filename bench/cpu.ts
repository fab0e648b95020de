// Other sessions share this machine: how much of its CPU went to processes that are not the
// benchmark's own (this process and the two servers) while a scenario ran, from /proc. A high
// share means that scenario's figures are low for reasons that have nothing to do with Muster.
import { readFileSync } from 'node:fs';

export interface CpuSnapshot {
	busy: number;
	total: number;
	ours: number;
}

export function ticksOf(pid: number): number {
	// Fields after the command name: utime and stime are the 12th and 13th (man 5 proc).
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return Number(fields[11]) + Number(fields[12]);
}

/** null where /proc is missing (not Linux): the column then stays empty. */
export function cpuSnapshot(pids: number[]): CpuSnapshot | null {
	try {
		const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1);
		const n = f.map(Number);
		const total = n.reduce((a, b) => a + b, 0);
		const ours = pids.reduce((sum, pid) => sum + ticksOf(pid), 0);
		return { busy: total - n[3]! - (n[4] ?? 0), total, ours };
	} catch {
		return null;
	}
}

/** The share of the machine's CPU that other processes used between two snapshots. */
export function otherShare(a: CpuSnapshot | null, b: CpuSnapshot | null): number | null {
	if (!a || !b || b.total === a.total) return null;
	const other = b.busy - a.busy - (b.ours - a.ours);
	return Math.max(0, other / (b.total - a.total));
}

/** Clock ticks per second of /proc's utime and stime (USER_HZ: 100 on Linux). */
export const TICKS_PER_SECOND = 100;

/** A process's CPU time so far in milliseconds, or null where /proc is missing. */
export function cpuMsOf(pid: number): number | null {
	try {
		return (ticksOf(pid) * 1000) / TICKS_PER_SECOND;
	} catch {
		return null;
	}
}
