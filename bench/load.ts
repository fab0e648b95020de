import autocannon from 'autocannon';
type Request = autocannon.Request;

export const CONNECTIONS = 32;

export interface Load {
	/** The server's base URL, e.g. http://127.0.0.1:41234 */
	url: string;
	/** One request: the same every time, or a fresh one per call (a learner, a code). */
	request: Request | (() => Request);
	/** The status every answer must have; anything else is counted and reported. */
	expect: number;
	/** Other statuses that are right up to a count (a flood's answers before its limit). */
	allow?: Record<number, number>;
	connections?: number;
	/** Seconds; ignored when `amount` is set. */
	duration?: number;
	/** A fixed number of requests instead of a duration. */
	amount?: number;
	/** Requests per second across all connections (the flood); unset: as fast as answered. */
	rate?: number;
	/** Stops the load early when this settles (the flood stops when the measured load ends). */
	until?: Promise<unknown>;
}

export interface Stats {
	requests: number;
	seconds: number;
	/** Answers per second over the whole run. */
	rps: number;
	/** Latency percentiles in milliseconds, from every response (not a sampled histogram). */
	p50: number;
	p95: number;
	p97_5: number;
	p99: number;
	statuses: Record<string, number>;
	/** Answers with another status than expected, plus connection errors and timeouts. */
	unexpected: number;
	/** The share of the machine's CPU other processes took meanwhile (see cpu.ts). */
	otherCpu?: number | null;
	/** Mean bytes per response on the wire, headers included. */
	bytes?: number;
	/**
	 * CPU milliseconds the serving process spent per answer. Unlike req/s, this barely moves
	 * when other work shares the machine: compare it when "other CPU" is high.
	 */
	cpuMsPerRequest?: number | null;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return NaN;
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(times: number[]): Pick<Stats, 'p50' | 'p95' | 'p97_5' | 'p99'> {
	const sorted = [...times].sort((a, b) => a - b);
	return {
		p50: percentile(sorted, 50),
		p95: percentile(sorted, 95),
		p97_5: percentile(sorted, 97.5),
		p99: percentile(sorted, 99)
	};
}

/** Runs one autocannon load and computes its statistics from every response time. */
export function runLoad(load: Load): Promise<Stats> {
	const times: number[] = [];
	let bytes = 0;
	const { request } = load;
	const requests =
		typeof request === 'function'
			? [{ setupRequest: (req: Request) => ({ ...req, ...request() }) }]
			: [request];
	return new Promise((resolve, reject) => {
		const instance = autocannon(
			{
				url: load.url,
				connections: load.connections ?? CONNECTIONS,
				duration: load.duration ?? 10,
				amount: load.amount,
				overallRate: load.rate,
				timeout: 30,
				requests
			},
			(err, result) => {
				if (err) return reject(err);
				const statuses = Object.fromEntries(
					Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count])
				);
				let good = statuses[String(load.expect)] ?? 0;
				for (const [code, most] of Object.entries(load.allow ?? {}))
					good += Math.min(statuses[code] ?? 0, most);
				// Counted from the responses themselves: autocannon's own per-second figures are
				// sampled once a second and drop the last partial second.
				resolve({
					requests: times.length,
					seconds: result.duration,
					rps: times.length / result.duration,
					...summarize(times),
					statuses,
					unexpected: times.length - good + result.errors + result.timeouts,
					bytes: times.length ? bytes / times.length : 0
				});
			}
		);
		instance.on('response', (_client, _status, size, ms) => {
			times.push(ms);
			bytes += size;
		});
		void load.until?.finally(() => instance.stop());
	});
}

/** A short run whose figures are thrown away: JIT, caches and the page cache warm up. */
export async function warmUp(load: Load, seconds = 2): Promise<void> {
	await runLoad({ ...load, duration: seconds, amount: undefined });
}

export function describeStatuses(stats: Stats): string {
	return Object.entries(stats.statuses)
		.map(([code, n]) => `${n}× ${code}`)
		.join(', ');
}
