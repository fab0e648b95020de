/**
 * A token bucket per key (a client address), kept in memory: each key starts with `size`
 * tokens, every request takes one, and tokens come back at `perMinute` a minute up to `size`.
 * A burst as large as the bucket passes at once (a shift behind one address signing in
 * together), a flood is held to the refill rate. Full buckets are forgotten as it goes, so
 * memory follows the addresses active in the last few minutes.
 */
export function createTokenBucket(opts: { size: number; perMinute: number; maxKeys?: number }) {
	const perMs = opts.perMinute / 60_000;
	const maxKeys = opts.maxKeys ?? 50_000;
	const buckets = new Map<string, { tokens: number; at: number }>();
	let lastSweep = 0;
	const refilled = (b: { tokens: number; at: number }, now: number) =>
		Math.min(opts.size, b.tokens + Math.max(0, now - b.at) * perMs);
	return {
		/** Takes a token for `key`; when none is left, says how long until one is back. */
		take(key: string, now = Date.now()): { ok: true } | { ok: false; retryAfterSeconds: number } {
			if (now - lastSweep > 60_000 || buckets.size > maxKeys) {
				for (const [k, b] of buckets) if (refilled(b, now) >= opts.size) buckets.delete(k);
				// Still too many (a spread-out flood): start over rather than grow without end.
				if (buckets.size > maxKeys) buckets.clear();
				lastSweep = now;
			}
			const b = buckets.get(key);
			const tokens = b ? refilled(b, now) : opts.size;
			if (tokens >= 1) {
				buckets.set(key, { tokens: tokens - 1, at: now });
				return { ok: true };
			}
			buckets.set(key, { tokens, at: now });
			return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / perMs / 1000)) };
		},
		/** Tokens left for `key` now (for tests and logs). */
		left(key: string, now = Date.now()): number {
			const b = buckets.get(key);
			return b ? refilled(b, now) : opts.size;
		}
	};
}
