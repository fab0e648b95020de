// What a PDF worker thread runs: one certificate or transcript per task. Kept apart from the
// rest of the server (only the renderers and their fonts are imported here), because the
// build turns this module into a chunk of its own that each worker thread loads.
import type { Transcript } from '../training/transcript';
import { renderTranscriptPdf } from '../training/transcript-pdf';
import { renderCertificatePdf, type CertificateData } from './pdf';
import { prepareFonts } from './pdf-document';

// Read and parse the fonts as the thread starts, not at its first render.
prepareFonts();

export type RenderTask =
	| { kind: 'certificate'; data: CertificateData }
	| { kind: 'transcript'; transcript: Transcript; issuedBy: string; now: Date };

export default async function render(task: RenderTask): Promise<Uint8Array> {
	return task.kind === 'certificate'
		? renderCertificatePdf(task.data)
		: renderTranscriptPdf(task.transcript, task.issuedBy, task.now);
}

/** This module's own file, for the worker threads to load (in the build, its chunk). */
export const taskModuleUrl = import.meta.url;
