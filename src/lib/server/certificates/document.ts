import { formatCode } from './code';
import { certificateFileName } from './file-name';
import type { CertificateData } from './pdf';
import { renderPdf } from './render-pool';
import type { CertificateRecord } from './status';

// A certificate's PDF never changes once issued (a revocation shows on the verification page,
// not in the document), so rendered files are kept by code: a re-download costs nothing.
const MAX_CACHED = 200;
const cache = new Map<string, Uint8Array>();

export function certificateData(cert: CertificateRecord, origin: string): CertificateData {
	return {
		holderName: cert.holderName,
		courseTitle: cert.courseTitle,
		contentVersion: cert.contentVersion,
		completedAt: cert.completedAt,
		creditHours: cert.creditHours,
		issuer: cert.issuer,
		expiresAt: cert.expiresAt,
		code: formatCode(cert.code),
		verifyUrl: `${origin}/verify/${cert.code}`
	};
}

export async function certificatePdf(
	cert: CertificateRecord,
	origin: string
): Promise<{ bytes: Uint8Array; fileName: string }> {
	const data = certificateData(cert, origin);
	const key = `${cert.code}|${origin}`;
	let bytes = cache.get(key);
	if (bytes) {
		cache.delete(key); // most recently used goes last
	} else {
		bytes = await renderPdf({ kind: 'certificate', data });
		if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
	}
	cache.set(key, bytes);
	return { bytes, fileName: certificateFileName(data) };
}
