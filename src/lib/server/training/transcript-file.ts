// Apart from the renderer (transcript-pdf.ts), which runs in the PDF worker threads.
export function transcriptFileName(name: string): string {
	const ascii = name
		.normalize('NFKD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 60);
	return `transcript-${ascii || 'member'}.pdf`;
}
