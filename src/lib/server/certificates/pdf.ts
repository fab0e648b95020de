import {
	PDFDocument,
	PDFOperator,
	PDFOperatorNames,
	concatTransformationMatrix,
	fill,
	popGraphicsState,
	pushGraphicsState,
	rgb,
	setFillingRgbColor,
	type PDFPage,
	type RGB
} from 'pdf-lib';
import QRCode from 'qrcode';
import { createDocument, saveDocument, type Face, type Faces } from './pdf-document';

export interface CertificateData {
	/** As on the account, any Unicode Latin name. */
	holderName: string;
	courseTitle: string;
	contentVersion: string;
	/** Printed as a calendar date in UTC. */
	completedAt: Date;
	creditHours: number;
	/** The issuing organization's name, or the instance name. */
	issuer: string;
	expiresAt: Date | null;
	/** The verification code as displayed, in groups of four. */
	code: string;
	/** Absolute URL of the public verification page; the QR code encodes exactly this. */
	verifyUrl: string;
}

const PAGE_W = 792;
const PAGE_H = 612;
const TEXT_W = 600;
const NAVY = rgb(0.11, 0.19, 0.33);
const INK = rgb(0.13, 0.13, 0.13);
const MUTED = rgb(0.38, 0.4, 0.44);
const QR_SIZE = 110;
const QR_RIGHT = PAGE_W - 66;
const QR_BOTTOM = 92;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August'];
MONTHS.push('September', 'October', 'November', 'December');

/** "23 November 2026", in UTC so the date does not depend on the server's time zone. */
export function formatCertificateDate(d: Date): string {
	return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** One line of text, NFC so that precomposed glyphs are used (pdf-lib does not place marks). */
function clean(s: string): string {
	return s
		.normalize('NFC')
		.replace(/[\s\p{Cc}]+/gu, ' ')
		.trim();
}

function fitSize(face: Face, text: string, max: number, min: number, width: number): number {
	const w = face.width(text, max);
	return w <= width ? max : Math.max(min, (max * width) / w);
}

/** Greedy word wrap; a word wider than the line is broken between characters. */
function wrap(face: Face, text: string, size: number, width: number): string[] {
	const fits = (s: string) => face.width(s, size) <= width;
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(' ')) {
		const candidate = line ? `${line} ${word}` : word;
		if (fits(candidate)) {
			line = candidate;
			continue;
		}
		if (line) lines.push(line);
		line = '';
		for (const ch of word) {
			if (line && !fits(line + ch)) {
				lines.push(line);
				line = '';
			}
			line += ch;
		}
	}
	if (line) lines.push(line);
	return lines;
}

/** The course title at the largest size that fits two lines, else three lines at 14 pt. */
function layoutTitle(face: Face, title: string): { size: number; lines: string[] } {
	for (const size of [20, 18, 16, 14]) {
		const lines = wrap(face, title, size, TEXT_W);
		if (lines.length <= 2) return { size, lines };
	}
	const lines = wrap(face, title, 14, TEXT_W);
	if (lines.length <= 3) return { size: 14, lines };
	let last = lines[2] ?? '';
	while (last && face.width(`${last}…`, 14) > TEXT_W) last = last.slice(0, -1);
	return { size: 14, lines: [lines[0] ?? '', lines[1] ?? '', `${last.trimEnd()}…`] };
}

function centered(page: PDFPage, text: string, face: Face, size: number, y: number, color: RGB) {
	const x = (PAGE_W - face.width(text, size)) / 2;
	page.drawText(text, { x, y, size, font: face.pdf, color });
}

/** Vector modules from the encoder's matrix, as one filled path so no seams show between them. */
function drawQr(page: PDFPage, url: string) {
	const { modules } = QRCode.create(url, { errorCorrectionLevel: 'M' });
	const n = modules.size;
	const m = QR_SIZE / n;
	const left = QR_RIGHT - QR_SIZE;
	const top = QR_BOTTOM + QR_SIZE;
	const quiet = 4 * m;
	const side = QR_SIZE + 2 * quiet;
	page.drawRectangle({
		x: left - quiet,
		y: QR_BOTTOM - quiet,
		width: side,
		height: side,
		color: rgb(1, 1, 1)
	});
	// In module units from the top left, so each run of dark modules is one short rectangle.
	const ops = [pushGraphicsState(), concatTransformationMatrix(m, 0, 0, -m, left, top)];
	ops.push(setFillingRgbColor(0, 0, 0));
	for (let r = 0; r < n; r++) {
		for (let c = 0; c < n; c++) {
			if (!modules.get(r, c)) continue;
			const start = c;
			while (c + 1 < n && modules.get(r, c + 1)) c++;
			// Whole numbers written as they are: a PDFNumber each was a tenth of a render.
			const run = [String(start), String(r), String(c + 1 - start), '1'];
			ops.push(PDFOperator.of(PDFOperatorNames.AppendRectangle, run));
		}
	}
	ops.push(fill(), popGraphicsState());
	page.pushOperators(...ops);
}

function drawDetails(page: PDFPage, faces: Faces, data: CertificateData) {
	const expiry = data.expiresAt
		? `Valid until ${formatCertificateDate(data.expiresAt)}`
		: 'Does not expire';
	const rows: [string, string][] = [
		['Completed', formatCertificateDate(data.completedAt)],
		['Credit hours', String(Math.round(data.creditHours * 100) / 100)],
		['Content version', clean(data.contentVersion)],
		['Issued by', clean(data.issuer)],
		['Expiry', expiry]
	];
	const labelX = 72;
	const valueX = 184;
	const valueW = QR_RIGHT - QR_SIZE - 40 - valueX;
	const label = (text: string, y: number) =>
		page.drawText(text, { x: labelX, y, size: 9, font: faces.serif.pdf, color: MUTED });
	let y = 212;
	for (const [name, value] of rows) {
		label(name, y);
		const size = fitSize(faces.serif, value, 11, 7, valueW);
		page.drawText(value, { x: valueX, y, size, font: faces.serif.pdf, color: INK });
		y -= 19;
	}
	// The code is read aloud over the phone: bold, larger, in the accent colour.
	label('Verification code', y);
	const code = clean(data.code);
	const size = fitSize(faces.serifBold, code, 13, 7, valueW);
	page.drawText(code, { x: valueX, y: y - 1, size, font: faces.serifBold.pdf, color: NAVY });
}

function setMetadata(doc: PDFDocument, data: CertificateData) {
	const code = clean(data.code);
	doc.setTitle(`Certificate of Completion – ${clean(data.courseTitle)}`);
	doc.setAuthor(clean(data.issuer));
	doc.setSubject(`Certificate of completion for ${clean(data.holderName)}, code ${code}`);
	doc.setKeywords(['certificate', code]);
	doc.setProducer('Muster');
	doc.setCreator('Muster');
	// Both dates from the record, so a certificate's bytes depend on the certificate only.
	doc.setCreationDate(data.completedAt);
	doc.setModificationDate(data.completedAt);
	doc.setLanguage('en');
}

export async function renderCertificatePdf(data: CertificateData): Promise<Uint8Array> {
	for (const d of [data.completedAt, data.expiresAt]) {
		if (d && Number.isNaN(d.getTime())) throw new RangeError('certificate date is invalid');
	}
	if (!Number.isFinite(data.creditHours) || data.creditHours < 0) {
		throw new RangeError('certificate credit hours must be a non-negative number');
	}
	const { doc, faces } = await createDocument();
	setMetadata(doc, data);

	const page = doc.addPage([PAGE_W, PAGE_H]);
	const frame = (inset: number, borderWidth: number) => {
		const [width, height] = [PAGE_W - 2 * inset, PAGE_H - 2 * inset];
		page.drawRectangle({ x: inset, y: inset, width, height, borderColor: NAVY, borderWidth });
	};
	frame(24, 1.5);
	frame(30, 0.5);

	const issuer = clean(data.issuer);
	centered(page, issuer, faces.serif, fitSize(faces.serif, issuer, 11, 7, TEXT_W), 540, MUTED);
	centered(page, 'Certificate of Completion', faces.serifBold, 34, 482, NAVY);
	const rule = (y: number, half: number, thickness: number, color: RGB) =>
		page.drawLine({
			start: { x: PAGE_W / 2 - half, y },
			end: { x: PAGE_W / 2 + half, y },
			thickness,
			color
		});
	rule(466, 48, 0.75, NAVY);
	centered(page, 'This certifies that', faces.serif, 14, 430, INK);
	const name = clean(data.holderName);
	const nameSize = fitSize(faces.serifBold, name, 30, 12, TEXT_W);
	centered(page, name, faces.serifBold, nameSize, 390, INK);
	centered(page, 'has completed', faces.serif, 14, 354, INK);
	const title = layoutTitle(faces.serifBold, clean(data.courseTitle));
	title.lines.forEach((line, i) => {
		centered(page, line, faces.serifBold, title.size, 322 - i * title.size * 1.25, NAVY);
	});

	rule(240, PAGE_W / 2 - 72, 0.5, MUTED);
	drawDetails(page, faces, data);
	drawQr(page, data.verifyUrl);
	const verify = `Verify at ${data.verifyUrl}`;
	const size = fitSize(faces.serif, verify, 7, 4.5, 360);
	const x = QR_RIGHT - faces.serif.width(verify, size);
	page.drawText(verify, { x, y: 60, size, font: faces.serif.pdf, color: MUTED });

	return saveDocument(doc);
}

// The file name lives apart from the renderer, which runs in the worker threads.
export { certificateFileName } from './file-name';
