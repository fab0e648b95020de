import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { renderCertificatePdf, type CertificateData } from '../../src/lib/server/certificates/pdf';
import {
	closeRenderPool,
	renderPdf,
	renderThreads,
	resetRenderPool
} from '../../src/lib/server/certificates/render-pool';
import type { Transcript } from '../../src/lib/server/training/transcript';
import { renderTranscriptPdf } from '../../src/lib/server/training/transcript-pdf';

// The PDF worker pool, with real worker threads: in tests they load the TypeScript sources
// through render-worker-dev.js; the build hands them the task module's compiled chunk.

const dir = mkdtempSync(join(tmpdir(), 'muster-pdf-workers-'));
afterAll(async () => {
	await closeRenderPool();
	rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
	delete process.env.PDF_THREADS;
});

function certificate(overrides: Partial<CertificateData> = {}): CertificateData {
	return {
		holderName: 'Zoë Ñúñez-Łukasiewicz',
		courseTitle: 'Roll-Call Training: Recognizing Trafficking',
		contentVersion: '2026.3',
		completedAt: new Date('2026-11-23T23:30:00Z'),
		creditHours: 1.5,
		issuer: 'Riverside Police Department',
		expiresAt: new Date('2028-11-23T00:00:00Z'),
		code: '7KQ2-M9XD-4HRT-B6WN-P3JC-A8QF-YZ',
		verifyUrl: 'https://muster.example/verify/7KQ2M9XD4HRTB6WNP3JCA8QFYZ',
		...overrides
	};
}

const transcript: Transcript = {
	name: 'Søren Łukasiewicz-Núñez',
	email: 'soren@example.org',
	timeZone: 'America/Chicago',
	today: '2026-11-23',
	requirements: [],
	courses: [],
	attempts: [
		{
			title: 'Roll-Call Training',
			number: 1,
			startedAt: new Date('2026-11-20T15:00:00Z'),
			status: 'submitted',
			score: 90,
			passed: true
		}
	],
	completions: [
		{
			title: 'Roll-Call Training',
			category: 'patrol',
			completedOn: '2026-11-20',
			method: 'self-paced',
			version: '2026.3',
			score: 90,
			creditHours: 1.5,
			certificate: { code: 'X', status: 'valid', validUntil: '2028-11-20', revokedReason: null }
		}
	],
	rollcall: [
		{
			sessionId: 1,
			moduleTitle: 'First contact with a possible victim',
			courseTitle: 'Roll-Call Training',
			line: 'roll-call, 14 March, led by Sgt Diaz, 8 minutes',
			addedBySupervisor: true
		}
	],
	exemptions: [],
	ledger: { last12: 1.5, year: 1.5, yearLabel: '2026', byCategory: [] }
} as unknown as Transcript;

let files = 0;
function text(bytes: Uint8Array): string {
	const file = join(dir, `doc-${++files}.pdf`);
	writeFileSync(file, bytes);
	return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).normalize('NFC');
}

function qr(bytes: Uint8Array): string | undefined {
	const file = join(dir, `qr-${++files}.pdf`);
	writeFileSync(file, bytes);
	const out = join(dir, `qr-${files}`);
	execFileSync('pdftoppm', ['-png', '-r', '100', '-singlefile', file, out]);
	const png = PNG.sync.read(readFileSync(`${out}.png`));
	return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}

describe('PDF worker threads', () => {
	it('render a certificate to the same bytes as this thread does, text and QR code included', async () => {
		const data = certificate();
		const inThread = await renderCertificatePdf(data);
		const inWorker = await renderPdf({ kind: 'certificate', data });
		expect(Buffer.from(inWorker).equals(Buffer.from(inThread))).toBe(true);
		const words = text(inWorker);
		expect(words).toContain('Zoë Ñúñez-Łukasiewicz');
		expect(words).toContain(data.code);
		expect(qr(inWorker)).toBe(data.verifyUrl);
	});

	it('render a transcript to the same bytes as this thread does', async () => {
		const now = new Date('2026-11-23T12:00:00Z');
		const inThread = await renderTranscriptPdf(transcript, 'Riverside Police Department', now);
		const inWorker = await renderPdf({
			kind: 'transcript',
			transcript,
			issuedBy: 'Riverside Police Department',
			now
		});
		expect(Buffer.from(inWorker).equals(Buffer.from(inThread))).toBe(true);
		const words = text(inWorker);
		expect(words).toContain('Søren Łukasiewicz-Núñez');
		expect(words).toContain('led by Sgt Diaz, 8 minutes');
	});

	it('pass a renderer error back to the request, and keep rendering after it', async () => {
		await expect(
			renderPdf({ kind: 'certificate', data: certificate({ creditHours: -1 }) })
		).rejects.toThrow(/credit hours/);
		const bytes = await renderPdf({ kind: 'certificate', data: certificate() });
		expect(text(bytes)).toContain('Certificate of Completion');
	});

	it('leave the event loop free: a request is answered while 32 renders wait their turn', async () => {
		const server: Server = createServer((_req, res) => res.end('module page'));
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
		const { port } = server.address() as { port: number };
		try {
			// Warm: the threads started and their fonts read, as on a server that has rendered.
			await renderPdf({ kind: 'certificate', data: certificate() });
			const burst = async (render: (d: CertificateData) => Promise<Uint8Array>) => {
				let done = 0;
				const renders = Array.from({ length: 32 }, (_, i) =>
					render(certificate({ code: `CODE-${i}`, holderName: `Officer ${i} Núñez` })).then(
						() => done++
					)
				);
				const response = await fetch(`http://127.0.0.1:${port}/`);
				expect(await response.text()).toBe('module page');
				const doneWhenAnswered = done;
				await Promise.all(renders);
				return doneWhenAnswered;
			};
			// In worker threads, the answer comes before most of the renders are done...
			const pooled = await burst((data) => renderPdf({ kind: 'certificate', data }));
			expect(pooled).toBeLessThan(16);
			// ...where rendering on the event loop holds it until every render is done.
			const inThread = await burst(renderCertificatePdf);
			expect(inThread).toBe(32);
		} finally {
			server.close();
		}
	});

	it('finish the renders already queued when the pool closes', async () => {
		await resetRenderPool();
		const renders = Array.from({ length: 8 }, (_, i) =>
			renderPdf({ kind: 'certificate', data: certificate({ code: `CLOSE-${i}` }) })
		);
		// Let the pool start and take the queue before it is told to close.
		await new Promise((r) => setImmediate(r));
		await closeRenderPool();
		const all = await Promise.all(renders);
		for (const bytes of all) expect(bytes.length).toBeGreaterThan(1000);
		await expect(renderPdf({ kind: 'certificate', data: certificate() })).rejects.toThrow(
			/shut down/
		);
		await resetRenderPool();
	});
});

describe('renderThreads', () => {
	it('reads PDF_THREADS, 0 meaning this thread, and refuses anything else', () => {
		expect(renderThreads({ PDF_THREADS: '2' })).toBe(2);
		expect(renderThreads({ PDF_THREADS: '0' })).toBe(0);
		expect(renderThreads({})).toBeGreaterThanOrEqual(1);
		expect(renderThreads({})).toBeLessThanOrEqual(2);
		for (const bad of ['-1', '1.5', 'two', '65']) {
			expect(() => renderThreads({ PDF_THREADS: bad })).toThrow(/PDF_THREADS/);
		}
	});

	it('renders in this thread with PDF_THREADS=0', async () => {
		process.env.PDF_THREADS = '0';
		const data = certificate();
		const bytes = await renderPdf({ kind: 'certificate', data });
		expect(Buffer.from(bytes).equals(Buffer.from(await renderCertificatePdf(data)))).toBe(true);
	});
});
