import { rgb, type PDFPage } from 'pdf-lib';
import { createDocument, saveDocument, type Face } from '../certificates/pdf-document';
import { dayLabel } from './days';
import { STATE_LABELS } from './status';
import type { Transcript } from './transcript';

// A transcript on A4/Letter-neutral pages (US Letter), with the same engine and fonts as the
// certificates: requirements, the credit-hour ledger, completions, roll-call sessions,
// exemptions, attempts.
const W = 612;
const H = 792;
const M = 54;
const INK = rgb(0.1, 0.12, 0.14);
const MUTED = rgb(0.29, 0.33, 0.38);

/** Characters the embedded DejaVu faces lack would throw: keep printable text only. */
function clean(s: string): string {
	return s.normalize('NFC').replace(/[\s\p{Cc}]+/gu, ' ');
}

export async function renderTranscriptPdf(
	t: Transcript,
	issuedBy: string,
	now = new Date()
): Promise<Uint8Array> {
	const { doc, faces } = await createDocument();
	doc.setTitle(`Training transcript: ${clean(t.name)}`);
	doc.setProducer('Muster');
	doc.setCreator('Muster');
	doc.setCreationDate(now);
	doc.setModificationDate(now);
	let page: PDFPage = doc.addPage([W, H]);
	let y = H - M;
	const newPage = () => {
		page = doc.addPage([W, H]);
		y = H - M;
	};
	const fit = (face: Face, text: string, size: number, max: number) => {
		let s = clean(text);
		if (face.width(s, size) <= max) return s;
		while (s.length > 1 && face.width(`${s}…`, size) > max) s = s.slice(0, -1);
		return `${s}…`;
	};
	const line = (
		text: string,
		opts: { bold?: boolean; size?: number; color?: typeof INK; gap?: number } = {}
	) => {
		const size = opts.size ?? 10;
		if (y - size < M) newPage();
		const face = opts.bold ? faces.serifBold : faces.serif;
		page.drawText(fit(face, text, size, W - 2 * M), {
			x: M,
			y: y - size,
			size,
			font: face.pdf,
			color: opts.color ?? INK
		});
		y -= size + (opts.gap ?? 5);
	};
	const row = (cells: string[], widths: number[], bold = false) => {
		const size = 9;
		if (y - size < M) newPage();
		const face = bold ? faces.serifBold : faces.serif;
		let x = M;
		cells.forEach((c, i) => {
			page.drawText(fit(face, c, size, widths[i]! - 6), {
				x,
				y: y - size,
				size,
				font: face.pdf,
				color: INK
			});
			x += widths[i]!;
		});
		y -= size + 5;
	};
	const heading = (text: string) => {
		y -= 8;
		if (y - 60 < M) newPage();
		line(text, { bold: true, size: 13, gap: 7 });
	};

	line('Training transcript', { bold: true, size: 20, gap: 10 });
	line(`${t.name} · ${t.email}`, { size: 12 });
	line(`Issued by ${issuedBy} on ${dayLabel(t.today)} (dates in ${t.timeZone})`, {
		color: MUTED,
		gap: 10
	});

	heading('Required training');
	if (t.requirements.length) {
		const w = [190, 80, 85, 75, 74];
		row(['Course', 'Status', 'Due', 'Completed', 'Valid until'], w, true);
		for (const r of t.requirements)
			row(
				[
					r.title,
					STATE_LABELS[r.state] + (r.exemptUntil ? ` until ${r.exemptUntil}` : ''),
					r.dueOn ?? '—',
					r.completedAt ? r.completedAt.toISOString().slice(0, 10) : '—',
					r.validUntil ?? '—'
				],
				w
			);
	} else line('No required training.');

	heading('Credit hours');
	const lw = [220, 140, 144];
	row(['Category', 'Last 12 months', `Calendar year ${t.ledger.yearLabel}`], lw, true);
	for (const c of t.ledger.byCategory) row([c.label, `${c.last12} h`, `${c.year} h`], lw);
	row(['Total', `${t.ledger.last12} h`, `${t.ledger.year} h`], lw, true);

	heading('Completions and certificates');
	if (t.completions.length) {
		const w = [170, 70, 62, 40, 40, 122];
		row(['Course', 'Completed', 'How', 'Score', 'Hours', 'Certificate'], w, true);
		for (const c of t.completions)
			row(
				[
					`${c.title} (v${c.version})`,
					c.completedOn,
					c.method === 'roll-call' ? 'Roll call' : 'Self-paced',
					`${c.score}%`,
					String(c.creditHours),
					c.certificate
						? `${c.certificate.status}${c.certificate.validUntil && c.certificate.status !== 'revoked' ? ` to ${c.certificate.validUntil}` : ''}`
						: '—'
				],
				w
			);
	} else line('No completions yet.');

	heading('Roll-call sessions');
	if (t.rollcall.length)
		for (const r of t.rollcall) {
			// Two lines each: a long module title cannot cut the session's own line short.
			line(`${r.moduleTitle} (${r.courseTitle})`, { gap: 2 });
			line(`${r.line}${r.addedBySupervisor ? ' (added by the supervisor)' : ''}`, {
				color: MUTED
			});
		}
	else line('No roll-call sessions.');

	heading('Exemptions');
	if (t.exemptions.length)
		for (const x of t.exemptions)
			line(
				`${x.title}: ${x.reason}${x.note ? ` (${x.note})` : ''}, until ${x.endsOn}${x.ended ? ' (ended)' : ''}`
			);
	else line('No exemptions.');

	heading('Assessment attempts');
	if (t.attempts.length) {
		const w = [220, 60, 130, 94];
		row(['Course', 'Attempt', 'Started (UTC)', 'Result'], w, true);
		for (const a of t.attempts)
			row(
				[
					a.title,
					String(a.number),
					a.startedAt.toISOString().slice(0, 16).replace('T', ' '),
					a.score === null ? a.status.replace('_', ' ') : `${a.score}%${a.passed ? ' passed' : ''}`
				],
				w
			);
	} else line('No attempts.');

	const pages = doc.getPages();
	pages.forEach((p, i) =>
		p.drawText(
			`${clean(t.name)} · page ${i + 1} of ${pages.length} · ${now.toISOString().slice(0, 10)}`,
			{
				x: M,
				y: M / 2,
				size: 8,
				font: faces.serif.pdf,
				color: MUTED
			}
		)
	);
	return saveDocument(doc);
}
