import fontkit from '@pdf-lib/fontkit';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { deflateSync } from 'node:zlib';
import {
	Cache,
	CustomFontEmbedder,
	PDFContentStream,
	PDFDocument,
	PDFFont,
	PDFHexString,
	type PDFContext,
	type PDFRef
} from 'pdf-lib';
import { readTrueType, subsetTrueType, withComponents, type TrueTypeSource } from './font-subset';

// A pdf-lib document made ready for a certificate or a transcript, with what pdf-lib would do
// per document done once per process: each font is read and parsed once, each character's glyph
// and width looked up once, and a document's font subset is copied from the font's bytes
// (font-subset.ts) instead of being decoded and re-encoded by fontkit. `npm run bench` times it.

const FONT_FILES = {
	serif: 'DejaVuSerif.ttf',
	serifBold: 'DejaVuSerif-Bold.ttf'
} as const;
type FontKey = keyof typeof FONT_FILES;

/** A font embedded in one document, with its measure. */
export interface Face {
	pdf: PDFFont;
	width(text: string, size: number): number;
}
export type Faces = Record<FontKey, Face>;

type Parsed = ReturnType<typeof fontkit.create>;

/** One font, read once per process: its tables, and each character's glyph id and advance. */
interface Prepared {
	name: string;
	parsed: Parsed;
	source: TrueTypeSource;
	bytes: Uint8Array;
	/** Advance width in font units by code point; glyph id by code point. */
	glyphs: Map<number, { id: number; advance: number }>;
	/** Text widths at size 1: titles and labels repeat from one document to the next. */
	widths: Map<string, number>;
}

let prepared: Record<FontKey, Prepared> | undefined;

/** Resolved through Node's module resolution so it works from src/, the build and a worker. */
function fontDirectory(): string {
	let pkg: string;
	try {
		pkg = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json');
	} catch {
		pkg = createRequire(join(process.cwd(), 'package.json')).resolve(
			'dejavu-fonts-ttf/package.json'
		);
	}
	return join(dirname(pkg), 'ttf');
}

export function prepareFonts(): Record<FontKey, Prepared> {
	if (prepared) return prepared;
	const dir = fontDirectory();
	const prepare = (file: string): Prepared => {
		const bytes = new Uint8Array(readFileSync(join(dir, file)));
		return {
			name: file.replace(/\.ttf$/, ''),
			parsed: fontkit.create(bytes),
			source: readTrueType(bytes),
			bytes,
			glyphs: new Map(),
			widths: new Map()
		};
	};
	prepared = { serif: prepare(FONT_FILES.serif), serifBold: prepare(FONT_FILES.serifBold) };
	return prepared;
}

function glyphOf(font: Prepared, codePoint: number): { id: number; advance: number } {
	let g = font.glyphs.get(codePoint);
	if (!g) {
		// A character the font lacks is drawn as .notdef (glyph 0, an empty box), never thrown.
		const glyph = font.parsed.hasGlyphForCodePoint(codePoint)
			? font.parsed.glyphForCodePoint(codePoint)
			: font.parsed.getGlyph(0);
		g = { id: glyph.id, advance: glyph.advanceWidth };
		font.glyphs.set(codePoint, g);
	}
	return g;
}

const REPLACEMENT = 0xfffd;

/**
 * pdf-lib's embedder for a custom font, with text encoded through the prepared look-ups (no
 * OpenType layout: pdf-lib never applies the positions layout computes, so plain advance widths
 * are what it drew anyway) and a subset copied from the font's bytes when the document is saved.
 * Glyph ids are the font's own, so the CID font maps them with /Identity.
 */
class PreparedEmbedder extends CustomFontEmbedder {
	/** Glyph id → the character it shows, for the ToUnicode map (copying and searching text). */
	private readonly used = new Map<number, number>();

	constructor(private readonly prep: Prepared) {
		super(prep.parsed, prep.bytes, prep.name);
	}

	override encodeText(text: string): PDFHexString {
		let hex = '';
		for (const ch of text) {
			const cp = ch.codePointAt(0)!;
			const { id } = glyphOf(this.prep, cp);
			if (!this.used.has(id)) this.used.set(id, id === 0 ? REPLACEMENT : cp);
			hex += id.toString(16).padStart(4, '0');
		}
		return PDFHexString.of(hex);
	}

	override widthOfTextAtSize(text: string, size: number): number {
		let w = this.prep.widths.get(text);
		if (w === undefined) {
			w = 0;
			for (const ch of text) w += glyphOf(this.prep, ch.codePointAt(0)!).advance;
			w /= this.prep.parsed.unitsPerEm;
			if (this.prep.widths.size > 20_000) this.prep.widths.clear();
			this.prep.widths.set(text, w);
		}
		return w * size;
	}

	override async embedIntoContext(context: PDFContext, ref?: PDFRef): Promise<PDFRef> {
		// A subset's name carries a six-letter tag (ISO 32000-1, 9.6.4), here derived from the
		// glyphs it holds, so the same certificate always gives the same bytes.
		const ids = [...this.used.keys()].sort((a, b) => a - b);
		const digest = createHash('sha256')
			.update(`${this.prep.name}:${ids.join(',')}`)
			.digest();
		const tag = String.fromCharCode(...[...digest.subarray(0, 6)].map((b) => 65 + (b % 26)));
		this.baseFontName = `${tag}+${this.prep.name}`;
		return this.embedFontDict(context, ref);
	}

	protected override async serializeFont(): Promise<Uint8Array> {
		return subsetTrueType(this.prep.source, withComponents(this.prep.source, this.used.keys()));
	}

	protected override computeWidths(): (number | number[])[] {
		const scale = 1000 / this.prep.parsed.unitsPerEm;
		const out: (number | number[])[] = [];
		let run: number[] = [];
		let previous = -2;
		for (const id of [...this.used.keys()].sort((a, b) => a - b)) {
			if (id !== previous + 1) {
				run = [];
				out.push(id, run);
			}
			run.push(this.prep.parsed.getGlyph(id).advanceWidth * scale);
			previous = id;
		}
		return out;
	}

	protected override embedUnicodeCmap(context: PDFContext): PDFRef {
		const hex4 = (n: number) => n.toString(16).padStart(4, '0');
		const unicode = (cp: number) =>
			cp > 0xffff
				? hex4(0xd800 + ((cp - 0x10000) >> 10)) + hex4(0xdc00 + ((cp - 0x10000) & 0x3ff))
				: hex4(cp);
		const entries = [...this.used].sort(([a], [b]) => a - b);
		const lines = entries.map(([id, cp]) => `<${hex4(id)}> <${unicode(cp)}>`);
		// At most 100 entries per bfchar block (PDF CMaps follow Adobe's limit).
		const blocks: string[] = [];
		for (let i = 0; i < lines.length; i += 100) {
			const part = lines.slice(i, i + 100);
			blocks.push(`${part.length} beginbfchar\n${part.join('\n')}\nendbfchar`);
		}
		const cmap = [
			'/CIDInit /ProcSet findresource begin',
			'12 dict begin',
			'begincmap',
			'/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
			'/CMapName /Adobe-Identity-UCS def',
			'/CMapType 2 def',
			'1 begincodespacerange',
			'<0000> <ffff>',
			'endcodespacerange',
			...blocks,
			'endcmap',
			'CMapName currentdict /CMap defineresource pop',
			'end',
			'end'
		].join('\n');
		return context.register(context.flateStream(cmap));
	}
}

function embedFace(doc: PDFDocument, font: Prepared): Face {
	const embedder = new PreparedEmbedder(font);
	const pdf = PDFFont.of(doc.context.nextRef(), doc, embedder);
	return { pdf, width: (text, size) => embedder.widthOfTextAtSize(text, size) };
}

/** zlib's fastest level: half the time of its default for 2–3% more bytes (fonts, page text). */
const FAST = { level: 1 };

const documentFaces = new WeakMap<PDFDocument, Faces>();

/** A new document with both faces ready to draw with, and native compression. */
export async function createDocument(): Promise<{ doc: PDFDocument; faces: Faces }> {
	const fonts = prepareFonts();
	const doc = await PDFDocument.create();
	// pdf-lib compresses with pako; Node's zlib makes the same FlateDecode stream natively.
	// (Strings here are byte strings, as in pdf-lib.)
	doc.context.flateStream = (contents, dict = {}) =>
		doc.context.stream(
			deflateSync(typeof contents === 'string' ? Buffer.from(contents, 'latin1') : contents, FAST),
			{ ...dict, Filter: 'FlateDecode' }
		);
	const faces: Faces = {
		serif: embedFace(doc, fonts.serif),
		serifBold: embedFace(doc, fonts.serifBold)
	};
	documentFaces.set(doc, faces);
	return { doc, faces };
}

/** Embeds the faces' subsets (only the glyphs drawn) and writes the file in one go. */
export async function saveDocument(doc: PDFDocument): Promise<Uint8Array> {
	const faces = documentFaces.get(doc);
	if (faces) for (const face of Object.values(faces)) await face.pdf.embed();
	// Pages' content streams too: pdf-lib makes them itself, to be deflated with pako on save.
	for (const [, object] of doc.context.enumerateIndirectObjects()) {
		if (!(object instanceof PDFContentStream)) continue;
		const compressed = Cache.populatedBy(() => deflateSync(object.getUnencodedContents(), FAST));
		(object as unknown as { contentsCache: Cache<Uint8Array> }).contentsCache = compressed;
	}
	// objectsPerTick: pdf-lib otherwise yields to the timer queue every 50 objects.
	return doc.save({ objectsPerTick: Infinity, useObjectStreams: false });
}
