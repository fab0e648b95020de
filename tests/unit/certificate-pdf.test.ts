import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PDFDocument } from 'pdf-lib';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import {
	certificateFileName,
	renderCertificatePdf,
	type CertificateData
} from '../../src/lib/server/certificates/pdf';

const dir = mkdtempSync(join(tmpdir(), 'muster-certificate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function certificate(overrides: Partial<CertificateData> = {}): CertificateData {
	return {
		holderName: 'Zoë Ñúñez-Łukasiewicz',
		courseTitle: 'Roll-Call Training: Recognizing Trafficking',
		contentVersion: '2026.3',
		completedAt: new Date('2026-11-23T23:30:00Z'),
		creditHours: 1.5,
		issuer: 'Riverside Police Department',
		expiresAt: new Date('2028-11-23T00:00:00Z'),
		// As code.ts makes them: 26 Crockford base32 characters, shown in groups of four.
		code: '7KQ2-M9XD-4HRT-B6WN-P3JC-A8QF-YZ',
		verifyUrl: 'https://muster.example/verify/7KQ2M9XD4HRTB6WNP3JCA8QFYZ',
		...overrides
	};
}

let files = 0;
function writePdf(bytes: Uint8Array): string {
	const file = join(dir, `certificate-${++files}.pdf`);
	writeFileSync(file, bytes);
	return file;
}

/** The extraction tools come from poppler-utils; without them these tests fail, never skip. */
function poppler(tool: 'pdftotext' | 'pdftoppm' | 'pdffonts', args: string[]): string {
	try {
		return execFileSync(tool, args, { encoding: 'utf8' });
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
			throw new Error(
				`${tool} not found: install poppler-utils (apt-get install poppler-utils; npm test installs it)`,
				{ cause: err }
			);
		}
		throw err;
	}
}

/** The text as pdftotext extracts it, not normalized (callers decide). */
async function rawText(data: CertificateData): Promise<string> {
	const file = writePdf(await renderCertificatePdf(data));
	return poppler('pdftotext', ['-layout', file, '-']);
}

async function pdfText(data: CertificateData): Promise<string> {
	return (await rawText(data)).normalize('NFC');
}

describe('renderCertificatePdf', () => {
	it('makes one landscape US Letter page with the certificate in its metadata', async () => {
		const data = certificate();
		// Loading rewrites Producer and dates unless told not to.
		const doc = await PDFDocument.load(await renderCertificatePdf(data), { updateMetadata: false });
		expect(doc.getPageCount()).toBe(1);
		const { width, height } = doc.getPage(0).getSize();
		expect(width).toBeGreaterThan(height);
		expect([width, height]).toEqual([792, 612]);
		expect(doc.getTitle()).toBe(`Certificate of Completion – ${data.courseTitle}`);
		expect(doc.getAuthor()).toBe(data.issuer);
		expect(doc.getSubject()).toContain(data.code);
		expect(doc.getProducer()).toBe('Muster');
		expect(doc.getCreationDate()?.getTime()).toBe(data.completedAt.getTime());
	});

	it.each(['Zoë Ñúñez-Łukasiewicz', 'Nguyễn Thị Ánh'])(
		'prints %s as text, with the course and the code',
		async (holderName) => {
			const data = certificate({ holderName });
			const text = await pdfText(data);
			expect(text).toContain('Certificate of Completion');
			expect(text).toContain(holderName.normalize('NFC'));
			expect(text).toContain(data.courseTitle.normalize('NFC'));
			expect(text).toContain(data.code);
			expect(text).toContain('23 November 2026');
			expect(text).toContain('Riverside Police Department');
			expect(text).toContain(`Verify at ${data.verifyUrl}`);
		}
	);

	it.each(['Γιώργος Παπαδόπουλος', 'Иван Петров', 'Łucja Żółć-Ğüneş', 'Đặng Thị Ngọc Ánh'])(
		'prints a name in any script the font has (%s)',
		async (holderName) => {
			expect(await pdfText(certificate({ holderName }))).toContain(holderName.normalize('NFC'));
		}
	);

	it('prints a certificate whose name has characters the font lacks, the rest intact', async () => {
		// DejaVu has no CJK glyphs nor emoji: those draw as the empty .notdef box and copy as
		// U+FFFD, never as some other letter; the record itself is untouched in the database.
		const data = certificate({ holderName: 'Mei 李小龍 Núñez 🙂' });
		const bytes = await renderCertificatePdf(data);
		const text = await pdfText(data);
		expect(text).toContain('Mei \ufffd\ufffd\ufffd Núñez \ufffd');
		expect(text).toContain(data.code);
		expect(text).toContain('Certificate of Completion');
		expect(bytes.length).toBeGreaterThan(1000);
	});

	it('draws a name typed in decomposed form with the precomposed letters', async () => {
		const text = await rawText(certificate({ holderName: 'Nguyễn Thị Ánh'.normalize('NFD') }));
		expect(text).toContain('Nguyễn Thị Ánh'.normalize('NFC'));
	});

	it('embeds every font as a subset with a Unicode map', async () => {
		const file = writePdf(await renderCertificatePdf(certificate()));
		const rows = poppler('pdffonts', [file]).trim().split('\n').slice(2);
		expect(rows.length).toBeGreaterThanOrEqual(2);
		for (const row of rows) {
			expect(row).toMatch(/^[A-Z]{6}\+DejaVu\S*\s+CID TrueType\s+Identity-H\s+yes yes yes/);
		}
	});

	it.each([
		'https://muster.example/verify/7KQ2M9XD4HRTB6WNP3JCA8QFYZ',
		'https://training.riverside-police-department.example.org/verify/7KQ2M9XD4HRTB6WNP3JCA8QFYZ'
	])('draws a QR code that scans as %s', async (verifyUrl) => {
		const file = writePdf(await renderCertificatePdf(certificate({ verifyUrl })));
		const out = join(dir, `page-${files}`);
		poppler('pdftoppm', ['-png', '-r', '100', '-singlefile', file, out]);
		const png = PNG.sync.read(readFileSync(`${out}.png`));
		const qr = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
		expect(qr?.data).toBe(verifyUrl);
	});

	it('says "Does not expire" without an expiry, and the date with one', async () => {
		const never = await pdfText(certificate({ expiresAt: null }));
		expect(never).toContain('Does not expire');
		expect(never).not.toContain('Valid until');
		const dated = await pdfText(certificate({ expiresAt: new Date('2028-11-23T00:00:00Z') }));
		expect(dated).toContain('Valid until 23 November 2028');
		expect(dated).not.toContain('Does not expire');
	});

	it('wraps a long course title and shrinks a long name instead of cutting either', async () => {
		const data = certificate({
			holderName: 'Maria Guadalupe Fernández-Castellanos de la Torre y Villaseñor-Łopuszańska',
			courseTitle:
				'Recognizing and Responding to Indicators of Labor and Sex Trafficking During Traffic Stops and Welfare Checks'
		});
		const text = await pdfText(data);
		const lines = text.split('\n').map((l) => l.trim());
		expect(lines).toContain(data.holderName);
		expect(text.replace(/\s+/g, ' ')).toContain(data.courseTitle);
		expect(lines).not.toContain(data.courseTitle);
	});

	it('refuses an invalid date or negative credit hours', async () => {
		await expect(renderCertificatePdf(certificate({ completedAt: new Date('x') }))).rejects.toThrow(
			RangeError
		);
		await expect(renderCertificatePdf(certificate({ creditHours: -1 }))).rejects.toThrow(
			RangeError
		);
	});

	it('reports how long a warm render takes', async () => {
		const data = certificate();
		for (let i = 0; i < 3; i++) await renderCertificatePdf(data);
		const times: number[] = [];
		for (let i = 0; i < 50; i++) {
			const start = performance.now();
			const pdf = await renderCertificatePdf(data);
			times.push(performance.now() - start);
			expect(pdf.length).toBeGreaterThan(1000);
		}
		times.sort((a, b) => a - b);
		const at = (q: number) => (times[Math.ceil(q * times.length) - 1] ?? NaN).toFixed(1);
		// Informational only: the budget is enforced by the benchmarks, not here.
		console.info(`certificate PDF, warm: median ${at(0.5)} ms, p95 ${at(0.95)} ms (n=50)`);
	});
});

describe('certificateFileName', () => {
	const completedAt = new Date('2026-11-23T23:30:00Z');

	it('transliterates names to plain ASCII', () => {
		const name = certificateFileName({
			holderName: 'Zoë Ñúñez-Łukasiewicz',
			courseTitle: 'Roll-Call Training',
			completedAt
		});
		expect(name).toBe('muster-certificate-roll-call-training-zoe-nunez-lukasiewicz-2026-11-23.pdf');
		const vi = certificateFileName({ holderName: 'Nguyễn Thị Ánh', courseTitle: 'X', completedAt });
		expect(vi).toContain('nguyen-thi-anh');
		const nordic = certificateFileName({
			holderName: 'Søren Æbelø Straße Đorđević',
			courseTitle: 'Ærø',
			completedAt
		});
		expect(nordic).toContain('aero-soren-aebelo-strasse-dordevic');
		for (const file of [name, vi, nordic]) expect(file).toMatch(/^[a-z0-9-]+\.pdf$/);
	});

	it('stays short and keeps the date for very long names and titles', () => {
		const name = certificateFileName({
			holderName: 'Maria Guadalupe Fernández-Castellanos de la Torre y Villaseñor',
			courseTitle: 'Recognizing and Responding to Indicators of Labor and Sex Trafficking '.repeat(
				3
			),
			completedAt
		});
		expect(name.length).toBeLessThanOrEqual(120);
		expect(name).toMatch(
			/^muster-certificate-recognizing-[a-z0-9-]+-maria-[a-z0-9-]+-2026-11-23\.pdf$/
		);
		expect(name).not.toMatch(/--/);
	});
});
