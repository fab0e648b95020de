/**
 * A fixed-window counter per key (a client address), kept in memory: enough for one server
 * process, and it costs no database write per request. Old windows are dropped as it goes.
 */
export function createRateLimiter(opts: { limit: number; windowMs: number }) {
	const windows = new Map<string, { start: number; count: number }>();
	let lastSweep = 0;
	return {
		hit(key: string, now = Date.now()): { ok: true } | { ok: false; retryAfterSeconds: number } {
			if (now - lastSweep > opts.windowMs) {
				for (const [k, w] of windows) if (now - w.start >= opts.windowMs) windows.delete(k);
				lastSweep = now;
			}
			let w = windows.get(key);
			if (!w || now - w.start >= opts.windowMs) {
				w = { start: now, count: 0 };
				windows.set(key, w);
			}
			w.count += 1;
			if (w.count <= opts.limit) return { ok: true };
			return { ok: false, retryAfterSeconds: Math.ceil((w.start + opts.windowMs - now) / 1000) };
		}
	};
}
