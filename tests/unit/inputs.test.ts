import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { optionalText, text } from '../../src/lib/server/forms';
import { decodeRoster, parseRoster } from '../../src/lib/server/orgs/roster-csv';

const latin1 = (s: string) => Uint8Array.from([...s].map((c) => c.charCodeAt(0)));

describe('roster files that are not UTF-8', () => {
	it('reads a Windows-1252 file as Windows-1252 instead of garbling it', () => {
		// "José Müller" and a curly apostrophe (0x92 in Windows-1252, not in Latin-1)
		const bytes = latin1(
			'name,email\nJos\xe9 M\xfcller,jose@example.org\nO\x92Brien,ob@example.org\n'
		);
		const decoded = decodeRoster(bytes);
		expect(decoded.encoding).toBe('windows-1252');
		const parsed = parseRoster(decoded.text, []);
		expect(parsed.ok && parsed.rows.map((r) => r.name)).toEqual(['José Müller', 'O’Brien']);
		expect(decoded.text).not.toContain('\uFFFD');
	});

	it('reads UTF-8 (with or without a byte-order mark) as UTF-8', () => {
		const text = 'name,email\nJosé Müller,jose@example.org\n';
		const plain = decodeRoster(new TextEncoder().encode(text));
		expect(plain).toEqual({ text, encoding: 'utf-8' });
		const bom = decodeRoster(new TextEncoder().encode('\uFEFF' + text));
		expect(bom.encoding).toBe('utf-8');
		const parsed = parseRoster(bom.text, []);
		expect(parsed.ok && parsed.rows[0]!.name).toBe('José Müller');
	});

	it('reads UTF-16 with a byte-order mark', () => {
		const text = 'name,email\nJosé,jose@example.org\n';
		const le = new Uint8Array(2 + text.length * 2);
		le[0] = 0xff;
		le[1] = 0xfe;
		for (let i = 0; i < text.length; i++) le[2 + 2 * i] = text.charCodeAt(i);
		const decoded = decodeRoster(le);
		expect(decoded.encoding).toBe('utf-16');
		const parsed = parseRoster(decoded.text, []);
		expect(parsed.ok && parsed.rows[0]!.name).toBe('José');
	});
});

describe('control characters in names', () => {
	it('a roster row with NUL or another control character in the name is refused, named', () => {
		const csv =
			'name,email,employee id\n' +
			'Ann\u0000Lee,ann@example.org,1\n' +
			'Bob\u0007,bob@example.org,2\n' +
			'Cy\u0085Doe,cy@example.org,3\n' +
			'Di Ng,di@example.org,4\u0000\n' +
			'Ed Fox,ed@example.org,5\n';
		const parsed = parseRoster(csv, []);
		if (!parsed.ok) throw new Error(parsed.message);
		const problems = parsed.rows.map((r) => r.problems.join(' '));
		expect(problems[0]).toMatch(/control characters/);
		expect(problems[1]).toMatch(/control characters/);
		expect(problems[2]).toMatch(/control characters/);
		expect(problems[3]).toMatch(/employee number contains control characters/);
		expect(problems[4]).toBe('');
		// nothing with a NUL is kept, even in the preview
		expect(JSON.stringify(parsed.rows)).not.toContain('\\u0000');
		expect(JSON.stringify(parsed.rows)).not.toContain('\u0000');
	});

	it('every text field (names of people, groups and organizations) refuses them', () => {
		const schema = z.object({ name: text('Name', 120) });
		for (const bad of ['Ann\u0000Lee', 'Ann\tLee', 'Ann\nLee', 'Ann\u007fLee', 'Ann\u009bLee']) {
			const r = schema.safeParse({ name: bad });
			expect(r.success).toBe(false);
			expect(r.error?.issues[0]?.message).toBe(
				'Name must not contain control characters (such as tabs, line breaks or NUL).'
			);
		}
		expect(schema.safeParse({ name: '  José Müller-O’Brien  ' }).data).toEqual({
			name: 'José Müller-O’Brien'
		});
		const optional = z.object({ contact: optionalText('Contact name', 120) });
		expect(optional.safeParse({ contact: 'A\u0000' }).success).toBe(false);
		expect(optional.safeParse({}).success).toBe(true);
	});
});
