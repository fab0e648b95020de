import { describe, expect, it } from 'vitest';
import { createTokenBucket } from '../../src/lib/server/token-bucket';

describe('the token bucket in front of sign-in', () => {
	it('lets a burst as large as the bucket through at once, then refuses', () => {
		const bucket = createTokenBucket({ size: 200, perMinute: 120 });
		const now = 1_000_000;
		for (let i = 0; i < 200; i++) expect(bucket.take('198.51.100.7', now).ok).toBe(true);
		const refused = bucket.take('198.51.100.7', now);
		expect(refused).toEqual({ ok: false, retryAfterSeconds: 1 });
	});

	it('refills at its rate, never beyond its size', () => {
		const bucket = createTokenBucket({ size: 10, perMinute: 60 });
		let now = 0;
		for (let i = 0; i < 10; i++) bucket.take('a', now);
		expect(bucket.take('a', now).ok).toBe(false);
		now += 1_000; // one token a second
		expect(bucket.take('a', now).ok).toBe(true);
		expect(bucket.take('a', now).ok).toBe(false);
		now += 3_600_000;
		expect(bucket.left('a', now)).toBe(10);
	});

	it('holds a flood to the refill rate', () => {
		const bucket = createTokenBucket({ size: 50, perMinute: 60 });
		let passed = 0;
		// 1,000 requests a second for 10 seconds
		for (let ms = 0; ms < 10_000; ms++) if (bucket.take('flood', ms).ok) passed += 1;
		expect(passed).toBeGreaterThanOrEqual(50 + 9);
		expect(passed).toBeLessThanOrEqual(50 + 10);
	});

	it('keeps each address to its own bucket', () => {
		const bucket = createTokenBucket({ size: 3, perMinute: 1 });
		for (let i = 0; i < 3; i++) bucket.take('flood', 0);
		expect(bucket.take('flood', 0).ok).toBe(false);
		expect(bucket.take('officer', 0).ok).toBe(true);
	});

	it('says when to come back', () => {
		const bucket = createTokenBucket({ size: 1, perMinute: 2 });
		bucket.take('a', 0);
		const r = bucket.take('a', 0);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.retryAfterSeconds).toBe(30);
	});

	it('forgets full buckets and stays bounded under a spread-out flood', () => {
		const bucket = createTokenBucket({ size: 5, perMinute: 60, maxKeys: 100 });
		for (let i = 0; i < 10_000; i++) bucket.take(`10.0.${i >> 8}.${i & 255}`, i);
		expect(bucket.left('10.0.0.1', 10_000)).toBeLessThanOrEqual(5);
	});
});
