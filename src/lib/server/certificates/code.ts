// Verification codes: 128 random bits written in Crockford's base32 (no I, L, O or U), so they
// can be read aloud and typed from paper. Shown in groups of four; typed any way at all.

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CODE_LENGTH = 26; // ceil(128 / 5)

export function newCertificateCode(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(16));
	let bits = 0n;
	for (const b of bytes) bits = (bits << 8n) | BigInt(b);
	let out = '';
	for (let i = 0; i < CODE_LENGTH; i++) {
		out = ALPHABET[Number(bits & 31n)]! + out;
		bits >>= 5n;
	}
	return out;
}

/** "7kq2 m9xd-…" → "7KQ2M9XD…": case, spaces and dashes ignored; I and L read as 1, O as 0. */
export function normalizeCode(input: string): string | null {
	const cleaned = input
		.toUpperCase()
		.replace(/[\s\-–—_.]/g, '')
		.replace(/[IL]/g, '1')
		.replace(/O/g, '0');
	return cleaned.length === CODE_LENGTH && [...cleaned].every((c) => ALPHABET.includes(c))
		? cleaned
		: null;
}

export function formatCode(code: string): string {
	return code.match(/.{1,4}/g)!.join('-');
}
