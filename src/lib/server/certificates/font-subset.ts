// A TrueType subset made per document without re-encoding any glyph: the glyphs a document uses
// are copied byte for byte from the font, at their own glyph ids ("retained" ids), and every
// other glyph is left empty. fontkit's subsetter decodes and re-encodes each glyph and was most
// of a certificate's render time; this copies a few dozen slices. The tables are those a PDF
// viewer needs for an embedded TrueType CID font (ISO 32000-1, 9.9): no cmap, name or OS/2.

/** The parts of a TrueType file a subset is built from, read once per process. */
export interface TrueTypeSource {
	numGlyphs: number;
	/** Start of each glyph in `glyf`, numGlyphs + 1 entries. */
	loca: Uint32Array;
	glyf: Uint8Array;
	hmtx: Uint8Array;
	numberOfHMetrics: number;
	/** Tables copied as they are (head is patched). */
	head: Uint8Array;
	hhea: Uint8Array;
	maxp: Uint8Array;
	extra: Map<string, Uint8Array>;
}

const COPIED = ['cvt ', 'fpgm', 'prep'];

export function readTrueType(bytes: Uint8Array): TrueTypeSource {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const tables = new Map<string, Uint8Array>();
	const count = view.getUint16(4);
	for (let i = 0; i < count; i++) {
		const at = 12 + i * 16;
		const tag = String.fromCharCode(...bytes.subarray(at, at + 4));
		const offset = view.getUint32(at + 8);
		const length = view.getUint32(at + 12);
		tables.set(tag, bytes.subarray(offset, offset + length));
	}
	const table = (tag: string) => {
		const t = tables.get(tag);
		if (!t) throw new Error(`font has no ${tag} table`);
		return t;
	};
	const head = table('head');
	const maxp = table('maxp');
	const hhea = table('hhea');
	const numGlyphs = new DataView(maxp.buffer, maxp.byteOffset).getUint16(4);
	const long = new DataView(head.buffer, head.byteOffset).getInt16(50) === 1;
	const locaBytes = table('loca');
	const locaView = new DataView(locaBytes.buffer, locaBytes.byteOffset, locaBytes.byteLength);
	const loca = new Uint32Array(numGlyphs + 1);
	for (let g = 0; g <= numGlyphs; g++) {
		loca[g] = long ? locaView.getUint32(g * 4) : locaView.getUint16(g * 2) * 2;
	}
	const extra = new Map<string, Uint8Array>();
	for (const tag of COPIED) if (tables.has(tag)) extra.set(tag, tables.get(tag)!);
	return {
		numGlyphs,
		loca,
		glyf: table('glyf'),
		hmtx: table('hmtx'),
		numberOfHMetrics: new DataView(hhea.buffer, hhea.byteOffset).getUint16(34),
		head,
		hhea,
		maxp,
		extra
	};
}

/** The glyphs a composite glyph is built from (OpenType glyf, composite glyph description). */
function components(font: TrueTypeSource, gid: number): number[] {
	const start = font.loca[gid]!;
	const end = font.loca[gid + 1]!;
	if (end - start < 10) return [];
	const view = new DataView(font.glyf.buffer, font.glyf.byteOffset + start, end - start);
	if (view.getInt16(0) >= 0) return [];
	const found: number[] = [];
	let at = 10;
	for (;;) {
		const flags = view.getUint16(at);
		found.push(view.getUint16(at + 2));
		at += 4 + (flags & 0x0001 ? 4 : 2);
		if (flags & 0x0008) at += 2;
		else if (flags & 0x0040) at += 4;
		else if (flags & 0x0080) at += 8;
		if (!(flags & 0x0020)) return found;
	}
}

/** The ids given plus .notdef and every component of a composite glyph among them. */
export function withComponents(font: TrueTypeSource, ids: Iterable<number>): number[] {
	const all = new Set<number>([0]);
	const todo = [...ids];
	while (todo.length) {
		const gid = todo.pop()!;
		if (gid >= font.numGlyphs || all.has(gid)) continue;
		all.add(gid);
		todo.push(...components(font, gid));
	}
	all.add(0);
	return [...all].sort((a, b) => a - b);
}

const pad4 = (n: number) => (n + 3) & ~3;

function checksum(bytes: Uint8Array): number {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	let sum = 0;
	const whole = bytes.byteLength & ~3;
	for (let i = 0; i < whole; i += 4) sum = (sum + view.getUint32(i)) >>> 0;
	if (whole < bytes.byteLength) {
		let last = 0;
		for (let i = whole; i < whole + 4; i++) last = (last << 8) | (bytes[i] ?? 0);
		sum = (sum + (last >>> 0)) >>> 0;
	}
	return sum;
}

/** A TrueType file with only the given glyphs (each at its own id; see withComponents). */
export function subsetTrueType(font: TrueTypeSource, gids: number[]): Uint8Array {
	let glyfLength = 0;
	for (const g of gids) glyfLength += pad4(font.loca[g + 1]! - font.loca[g]!);
	const glyf = new Uint8Array(glyfLength);
	const loca = new Uint8Array((font.numGlyphs + 1) * 4);
	const locaView = new DataView(loca.buffer);
	const hmtx = new Uint8Array(font.hmtx.byteLength);
	let at = 0;
	let next = 0;
	for (let g = 0; g <= font.numGlyphs; g++) {
		locaView.setUint32(g * 4, at);
		if (g === gids[next]) {
			next++;
			const start = font.loca[g]!;
			const length = font.loca[g + 1]! - start;
			glyf.set(font.glyf.subarray(start, start + length), at);
			at += pad4(length);
			// Metrics of used glyphs only: an advance width and a left side bearing each.
			const m =
				g < font.numberOfHMetrics
					? g * 4
					: font.numberOfHMetrics * 4 + (g - font.numberOfHMetrics) * 2;
			const size = g < font.numberOfHMetrics ? 4 : 2;
			hmtx.set(font.hmtx.subarray(m, m + size), m);
		}
	}
	const head = new Uint8Array(font.head);
	const headView = new DataView(head.buffer);
	headView.setUint32(8, 0); // checkSumAdjustment, set below
	headView.setInt16(50, 1); // long loca offsets
	const tables: [string, Uint8Array][] = [
		['glyf', glyf],
		['head', head],
		['hhea', font.hhea],
		['hmtx', hmtx],
		['loca', loca],
		['maxp', font.maxp],
		...font.extra
	];
	tables.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	const n = tables.length;
	const headerLength = 12 + 16 * n;
	let total = headerLength;
	for (const [, t] of tables) total += pad4(t.byteLength);
	const out = new Uint8Array(total);
	const view = new DataView(out.buffer);
	const log2 = Math.floor(Math.log2(n));
	view.setUint32(0, 0x00010000);
	view.setUint16(4, n);
	view.setUint16(6, 16 * 2 ** log2);
	view.setUint16(8, log2);
	view.setUint16(10, 16 * n - 16 * 2 ** log2);
	let offset = headerLength;
	let headOffset = 0;
	tables.forEach(([tag, t], i) => {
		const record = 12 + 16 * i;
		for (let c = 0; c < 4; c++) out[record + c] = tag.charCodeAt(c);
		view.setUint32(record + 4, checksum(t));
		view.setUint32(record + 8, offset);
		view.setUint32(record + 12, t.byteLength);
		out.set(t, offset);
		if (tag === 'head') headOffset = offset;
		offset += pad4(t.byteLength);
	});
	view.setUint32(headOffset + 8, (0xb1b0afba - checksum(out)) >>> 0);
	return out;
}
