import { describe, expect, it } from 'vitest';
import { safeNext } from '../../src/lib/server/forms';

// The `next` parameter as the sign-in page reads it: `url.searchParams.get('next')` of the
// query string an attacker writes (so `%09` arrives as a tab).
const fromQuery = (query: string) => new URLSearchParams(`next=${query}`).get('next');

describe('safeNext: the redirect after sign-in', () => {
	const refused = [
		// the review's variants
		'/%09/evil.example',
		'/%0a/evil.example',
		'/%0d/evil.example',
		'/%0d%0a/evil.example',
		'/%00/evil.example',
		'/%0b/evil.example',
		'/%7f/evil.example',
		'//evil.example',
		'/\\evil.example',
		'/%5cevil.example',
		'/%5Cevil.example',
		'https://evil.example',
		'http://evil.example/path',
		// our own
		'%2F%2Fevil.example',
		'/%2F/evil.example',
		'/%252F/evil.example',
		'/%2509/evil.example',
		'/%250a/evil.example',
		'/%c2%85/evil.example',
		'/a/..//evil.example',
		'/./%2F/evil.example',
		'javascript:alert(1)',
		'evil.example',
		'',
		' /courses',
		'\t/courses',
		'/%',
		'/%E0%A4%A',
		'/' + 'a'.repeat(3000)
	];
	for (const query of refused) {
		it(`sends ${JSON.stringify(query.slice(0, 40))} home`, () => {
			expect(safeNext(fromQuery(query))).toBe('/');
		});
	}

	it('refuses control characters written directly, too', () => {
		for (let c = 0; c < 0x20; c++) expect(safeNext(`/${String.fromCharCode(c)}/x`)).toBe('/');
		expect(safeNext('/\u007f/x')).toBe('/');
		expect(safeNext('/\u0085/x')).toBe('/');
		expect(safeNext(null)).toBe('/');
		expect(safeNext(undefined)).toBe('/');
	});

	const kept: [string, string][] = [
		['/courses', '/courses'],
		['/courses/roll-call/assessment', '/courses/roll-call/assessment'],
		[
			encodeURIComponent('/orgs/riverside-pd/members?q=smith&page=2'),
			'/orgs/riverside-pd/members?q=smith&page=2'
		],
		['/me/account#password', '/me/account#password'],
		['/', '/'],
		// non-ASCII is sent percent-encoded (a raw one in a Location header was a 500)
		['/%E3%80%82/', '/%E3%80%82/'],
		['/caf%C3%A9', '/caf%C3%A9'],
		['/a/../courses', '/courses']
	];
	for (const [query, expected] of kept) {
		it(`keeps the same-origin path ${query}`, () => {
			expect(safeNext(fromQuery(query))).toBe(expected);
		});
	}

	it('never answers anything but an ASCII path with one leading slash', () => {
		for (const query of [...refused, ...kept.map((k) => k[0])]) {
			const out = safeNext(fromQuery(query));
			expect(out).toMatch(/^\/(?![/\\])[\x21-\x7e]*$|^\/$/);
		}
	});
});
