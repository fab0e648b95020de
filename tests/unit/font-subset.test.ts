import fontkit from '@pdf-lib/fontkit';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
	readTrueType,
	subsetTrueType,
	withComponents
} from '../../src/lib/server/certificates/font-subset';

// The per-document subset of a certificate's font: glyphs copied byte for byte at their own ids.

const dir = join(
	dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')),
	'ttf'
);
const bytes = new Uint8Array(readFileSync(join(dir, 'DejaVuSerif-Bold.ttf')));
const font = fontkit.create(bytes);
const source = readTrueType(bytes);
const ids = (text: string) => [...text].map((ch) => font.glyphForCodePoint(ch.codePointAt(0)!).id);

describe('subsetTrueType', () => {
	const text = 'Zoë Ñúñez-Łukasiewicz Đặng Γιώργος Иван 0123';
	const gids = withComponents(source, ids(text));
	const subset = subsetTrueType(source, gids);
	const parsed = fontkit.create(subset);

	it('keeps every glyph used, with its outline and advance, at its own id', () => {
		expect(subset.length).toBeLessThan(bytes.length / 4);
		for (const id of ids(text.replace(/ /g, ''))) {
			const a = font.getGlyph(id);
			const b = parsed.getGlyph(id);
			expect(b.advanceWidth).toBe(a.advanceWidth);
			expect(b.path.toSVG()).toBe(a.path.toSVG());
			expect(b.path.toSVG()).not.toBe('');
		}
	});

	it('includes the parts of composite glyphs (accented letters) and .notdef', () => {
		for (const id of ids('ëÑúặώ')) expect(parsed.getGlyph(id).path.toSVG()).not.toBe('');
		expect(gids[0]).toBe(0);
		// DejaVu builds some accented letters from a base glyph and a mark: those are kept too.
		expect(gids.length).toBeGreaterThan(new Set(ids(text)).size);
	});

	it('leaves out every other glyph', () => {
		const unused = font.glyphForCodePoint('Q'.codePointAt(0)!).id;
		expect(gids).not.toContain(unused);
		expect(parsed.getGlyph(unused).path.toSVG()).toBe('');
	});

	it('writes a valid table directory: whole-font checksum and each table checksum', () => {
		const view = new DataView(subset.buffer, subset.byteOffset, subset.byteLength);
		const sum = (from: number, length: number) => {
			let s = 0;
			for (let i = 0; i < length; i += 4) {
				let word = 0;
				for (let j = 0; j < 4; j++) word = (word << 8) | (subset[from + i + j] ?? 0);
				s = (s + (word >>> 0)) >>> 0;
			}
			return s;
		};
		expect(sum(0, subset.length)).toBe(0xb1b0afba);
		const tables = view.getUint16(4);
		for (let i = 0; i < tables; i++) {
			const at = 12 + 16 * i;
			const tag = String.fromCharCode(...subset.subarray(at, at + 4));
			if (tag === 'head') continue; // its checksum is taken with the adjustment zeroed
			expect(sum(view.getUint32(at + 8), view.getUint32(at + 12)), tag).toBe(
				view.getUint32(at + 4)
			);
		}
	});
});
