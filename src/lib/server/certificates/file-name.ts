import type { CertificateData } from './pdf';

/** ł, ø, ß and friends have no Unicode decomposition, so NFKD leaves them alone. */
const TRANSLITERATE: Record<string, string> = {
	ł: 'l',
	đ: 'd',
	ð: 'd',
	ø: 'o',
	ß: 'ss',
	æ: 'ae',
	œ: 'oe',
	þ: 'th',
	ı: 'i',
	ħ: 'h',
	ŧ: 't',
	ŋ: 'n',
	ĸ: 'k'
};

function slug(s: string, max: number): string {
	const ascii = s
		.normalize('NFKD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.replace(/[łđðøßæœþıħŧŋĸ]/g, (ch) => TRANSLITERATE[ch] ?? '')
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '');
	if (ascii.length <= max) return ascii;
	// Cut at a word boundary when one is reasonably close, rather than mid-word.
	const cut = ascii.slice(0, max + 1);
	const dash = cut.lastIndexOf('-');
	return (dash > max / 2 ? cut.slice(0, dash) : cut.slice(0, max)).replace(/-+$/, '');
}

/** e.g. "muster-certificate-roll-call-training-zoe-nunez-lukasiewicz-2026-11-23.pdf" */
export function certificateFileName(
	data: Pick<CertificateData, 'holderName' | 'courseTitle' | 'completedAt'>
): string {
	const time = data.completedAt.getTime();
	const date = Number.isNaN(time) ? '' : data.completedAt.toISOString().slice(0, 10);
	// At most 120 characters: "muster-certificate-" and "-YYYY-MM-DD.pdf" take 34 of them.
	const name = slug(data.holderName, 40);
	const course = slug(data.courseTitle, 84 - 2 - name.length);
	return `${['muster-certificate', course, name, date].filter(Boolean).join('-')}.pdf`;
}
