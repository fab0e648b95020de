/**
 * Counts wrong join codes per key (a client address, an account) in a fixed window, in memory.
 * Only failures count: a room of officers behind one address joining with the right code is
 * never slowed down, while someone trying codes is stopped after a few guesses.
 */
export function createGuessLimiter(opts: { limit: number; windowMs: number }) {
	const windows = new Map<string, { start: number; count: number }>();
	let lastSweep = 0;
	const current = (key: string, now: number) => {
		const w = windows.get(key);
		return w && now - w.start < opts.windowMs ? w : undefined;
	};
	return {
		/** Seconds until this key may guess again, or 0 when it may now. */
		blockedFor(key: string, now = Date.now()): number {
			const w = current(key, now);
			return w && w.count >= opts.limit ? Math.ceil((w.start + opts.windowMs - now) / 1000) : 0;
		},
		fail(key: string, now = Date.now()): void {
			if (now - lastSweep > opts.windowMs) {
				for (const [k, w] of windows) if (now - w.start >= opts.windowMs) windows.delete(k);
				lastSweep = now;
			}
			const w = current(key, now);
			if (w) w.count += 1;
			else windows.set(key, { start: now, count: 1 });
		}
	};
}
export type GuessLimiter = ReturnType<typeof createGuessLimiter>;

/** Wrong codes allowed per account and per address in ten minutes. */
export const GUESSES_PER_ACCOUNT = 10;
export const GUESSES_PER_ADDRESS = 30;
const WINDOW_MS = 10 * 60_000;

export function createJoinThrottle() {
	return {
		account: createGuessLimiter({ limit: GUESSES_PER_ACCOUNT, windowMs: WINDOW_MS }),
		address: createGuessLimiter({ limit: GUESSES_PER_ADDRESS, windowMs: WINDOW_MS })
	};
}
export type JoinThrottle = ReturnType<typeof createJoinThrottle>;

/** The server's one throttle (one process). */
export const joinThrottle: JoinThrottle = createJoinThrottle();
