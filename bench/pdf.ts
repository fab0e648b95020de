// Certificate PDF timings in this process: Muster's renderer, and beside it a bare pdf-lib
// page (a standard font, nothing embedded) as the baseline of what pdf-lib itself costs here.
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { renderCertificatePdf, type CertificateData } from '../src/lib/server/certificates/pdf';
import { summarize } from './load';

export interface RenderTimes {
	/** The first render in this process: fonts read, code compiled. */
	coldMs: number;
	renders: number;
	meanMs: number;
	p50: number;
	p95: number;
	p97_5: number;
	p99: number;
	bytes: number;
}

const SAMPLE: CertificateData = {
	holderName: 'Zoë Núñez-Łukasiewicz',
	courseTitle: 'Roll-call training: recognizing and responding to human trafficking',
	contentVersion: '2026.1',
	completedAt: new Date('2026-11-23T10:00:00Z'),
	creditHours: 1.5,
	issuer: 'Riverside Police Department',
	expiresAt: new Date('2027-11-23T10:00:00Z'),
	code: '7KQ2-M9XD-4HTC-0P8R-W3ZB-N6VE-J5',
	verifyUrl: 'https://muster.example.org/verify/7KQ2M9XD4HTC0P8RW3ZBN6VEJ5'
};

async function bareCertificate(data: CertificateData): Promise<Uint8Array> {
	const doc = await PDFDocument.create();
	const font = await doc.embedFont(StandardFonts.TimesRoman);
	const page = doc.addPage([792, 612]);
	const lines = ['Certificate of Completion', data.courseTitle, data.issuer, data.verifyUrl];
	lines.forEach((text, i) => page.drawText(text, { x: 72, y: 480 - i * 40, size: 14, font }));
	return doc.save({ objectsPerTick: Infinity, useObjectStreams: false });
}

async function time(
	render: () => Promise<Uint8Array>,
	warm: number,
	count: number
): Promise<RenderTimes> {
	let t = performance.now();
	const first = await render();
	const coldMs = performance.now() - t;
	for (let i = 1; i < warm; i++) await render();
	const times: number[] = [];
	for (let i = 0; i < count; i++) {
		t = performance.now();
		await render();
		times.push(performance.now() - t);
	}
	const meanMs = times.reduce((a, b) => a + b, 0) / times.length;
	return { coldMs, renders: count, meanMs, ...summarize(times), bytes: first.length };
}

/** 20 warm-up renders, then 200 timed ones, for each renderer. */
export async function timeRenders(): Promise<{ muster: RenderTimes; bare: RenderTimes }> {
	const muster = await time(() => renderCertificatePdf(SAMPLE), 20, 200);
	const bare = await time(() => bareCertificate(SAMPLE), 20, 200);
	return { muster, bare };
}
