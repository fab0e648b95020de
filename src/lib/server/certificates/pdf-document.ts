import fontkit from '@pdf-lib/fontkit';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { PDFDocument, type PDFFont } from 'pdf-lib';

// A pdf-lib document made ready for a certificate, with the costs of doing that once per
// process where pdf-lib would pay them per document. `npm run bench` times a render.

// Two faces only: each embedded font is parsed and subset per document, the main cost of a render.
const FONT_FILES = {
	serif: 'DejaVuSerif.ttf',
	serifBold: 'DejaVuSerif-Bold.ttf'
} as const;
type FontKey = keyof typeof FONT_FILES;

/** A font embedded in one document (as a subset, through fontkit), with its measure. */
export interface Face {
	pdf: PDFFont;
	width(text: string, size: number): number;
}
export type Faces = Record<FontKey, Face>;

let fontBytes: Record<FontKey, Uint8Array> | undefined;

/**
 * fontkit, through pdf-lib's registerFontkit, but parsing each font file once per process:
 * parsing both faces for every document was most of a certificate's render time. pdf-lib still
 * makes a fresh subset per document from the parsed font.
 */
const parsedFonts = new Map<Uint8Array, ReturnType<typeof fontkit.create>>();
const parsedOnce: Parameters<PDFDocument['registerFontkit']>[0] = {
	create(bytes: Uint8Array) {
		let font = parsedFonts.get(bytes);
		if (!font) parsedFonts.set(bytes, (font = fontkit.create(bytes)));
		return font;
	}
};
const FONT_NAMES = new Map<Uint8Array, string>();

/** Read once; resolved through Node's module resolution so it works from src/ and the build. */
function loadFonts(): Record<FontKey, Uint8Array> {
	if (fontBytes) return fontBytes;
	let pkg: string;
	try {
		pkg = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json');
	} catch {
		pkg = createRequire(join(process.cwd(), 'package.json')).resolve(
			'dejavu-fonts-ttf/package.json'
		);
	}
	const read = (file: string) => {
		const bytes = new Uint8Array(readFileSync(join(dirname(pkg), 'ttf', file)));
		FONT_NAMES.set(bytes, file.replace(/\.ttf$/, ''));
		return bytes;
	};
	fontBytes = {
		serif: read(FONT_FILES.serif),
		serifBold: read(FONT_FILES.serifBold)
	};
	return fontBytes;
}

const NO_LAYOUT_FEATURES = Object.fromEntries(
	['kern', 'liga', 'calt', 'clig', 'ccmp', 'locl', 'mark', 'mkmk', 'rlig', 'rclt', 'curs'].map(
		(f) => [f, false]
	)
);

/** Text widths at size 1 by face and text: titles and labels repeat from one certificate to the next. */
const widths = new Map<string, number>();

async function embedFace(doc: PDFDocument, bytes: Uint8Array): Promise<Face> {
	// A subset's name carries a six-letter tag (ISO 32000-1, 9.6.4), which pdf-lib leaves out.
	const tag = String.fromCharCode(
		...Array.from({ length: 6 }, () => 65 + Math.floor(Math.random() * 26))
	);
	const pdf = await doc.embedFont(bytes, {
		subset: true,
		// pdf-lib draws glyphs at their plain advance widths and never applies the positions
		// OpenType layout computes (kerning, mark placement); ligatures would only make the text
		// harder to copy and search. Shaping was a third of a render, for nothing on the page.
		features: NO_LAYOUT_FEATURES,
		customName: `${tag}+${FONT_NAMES.get(bytes)}`
	});
	const name = FONT_NAMES.get(bytes)!;
	return {
		pdf,
		width: (text, size) => {
			const key = `${name}\u0000${text}`;
			let w = widths.get(key);
			if (w === undefined) {
				if (widths.size > 20_000) widths.clear();
				widths.set(key, (w = pdf.widthOfTextAtSize(text, 1)));
			}
			return w * size;
		}
	};
}

/** A new document with both faces embedded (as subsets) and native compression. */
export async function createDocument(): Promise<{ doc: PDFDocument; faces: Faces }> {
	const fonts = loadFonts();
	const doc = await PDFDocument.create();
	doc.registerFontkit(parsedOnce);
	// pdf-lib compresses the font subsets with pako, a sixth of a render; Node's zlib makes the
	// same FlateDecode stream natively. (Strings here are byte strings, as in pdf-lib.)
	doc.context.flateStream = (contents, dict = {}) =>
		doc.context.stream(
			deflateSync(typeof contents === 'string' ? Buffer.from(contents, 'latin1') : contents),
			{
				...dict,
				Filter: 'FlateDecode'
			}
		);
	const faces: Faces = {
		serif: await embedFace(doc, fonts.serif),
		serifBold: await embedFace(doc, fonts.serifBold)
	};
	return { doc, faces };
}
