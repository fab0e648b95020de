// The goals, each judged against the baseline measured in the same run. A scenario that
// did not run (BENCH_ONLY) has no row; a row's baseline that did not run leaves its ratio empty.
import type { CredentialTimes } from './credentials';
import type { Stats } from './load';
import type { RenderTimes } from './pdf';
import { makeRow, type Figures, type Row } from './report';
import type { SubmitCheck } from './scenarios';

export interface Measurements {
	barePageFirst?: Stats;
	barePageLast?: Stats;
	bareForm?: Stats;
	modulePage?: Stats;
	/** The baseline sending the module page's markup and data with no work behind it. */
	sizedPage?: Stats;
	/** The module page again, asking for gzip (the bytes on the wire and the cost of compressing). */
	modulePageGzip?: Stats;
	submit?: { stats: Stats; check: SubmitCheck };
	home?: Stats;
	verify?: Stats;
	renders?: { muster: RenderTimes; bare: RenderTimes; otherCpu: number | null };
	cachedPdf?: Stats;
	cachedPdfAlone?: Stats;
	freshPdf?: Stats;
	/** Module pages while 32 connections download certificates that must be rendered. */
	pdfBurst?: { stats: Stats; pdf: Stats };
	flooded?: { stats: Stats; flood: Stats };
	floodedAtRate?: { stats: Stats; flood: Stats };
	/** #14: Open Badges signing and verifying, and one chained audit append, in process. */
	credentials?: CredentialTimes;
}

/** Mean KiB per response, headers included. */
const kib = (s: Stats) => ((s.bytes ?? 0) / 1024).toFixed(1);

/** Wrong statuses void a row: a page that answered with a redirect to /login proves nothing. */
const ok = (s: Stats) => s.unexpected === 0;

/** The goals of issue #15 (speed), with the earlier ones still held. */
export const GOALS = {
	modulePage: { ratio: 0.4, text: '>= 40%' },
	submit: { ratio: 0.3, p97_5: 150, text: '>= 30%, p97.5 < 150 ms' },
	page: { ratio: 0.5, text: '>= 50%' },
	pdfRender: { p95: 10, text: 'p95 < 10 ms' },
	/** Module pages served while 32 fresh PDF downloads render (the worker pool's scenario). */
	pagesBesidePdfs: { p97_5: 150, text: 'p97.5 < 150 ms' },
	flood: { ratio: 0.8, text: '>= 80%' }
} as const;

/** A measured load as the baseline of another row. */
const against = (name: string, s: Stats | undefined) =>
	s && { name, rps: s.rps, cpuMs: s.cpuMsPerRequest };

/** The mean of two runs of the same load (the bare page at the start and at the end). */
function mean(a: Stats | undefined, b: Stats | undefined): Figures | undefined {
	if (!a || !b) return a ?? b;
	return {
		rps: (a.rps + b.rps) / 2,
		p50: (a.p50 + b.p50) / 2,
		p95: (a.p95 + b.p95) / 2,
		p97_5: (a.p97_5 + b.p97_5) / 2,
		p99: (a.p99 + b.p99) / 2,
		otherCpu: Math.max(a.otherCpu ?? 0, b.otherCpu ?? 0),
		cpuMsPerRequest:
			a.cpuMsPerRequest && b.cpuMsPerRequest
				? (a.cpuMsPerRequest + b.cpuMsPerRequest) / 2
				: (a.cpuMsPerRequest ?? b.cpuMsPerRequest)
	};
}

export function buildTable(m: Measurements, floodRate: number): Row[] {
	// The bare page is measured at the start and at the end; the machine drifts in between
	// (other work, thermal limits), so each page is compared with the mean of the two.
	const barePage = mean(m.barePageFirst, m.barePageLast);
	const bare = barePage && {
		name: 'bare page',
		rps: barePage.rps,
		cpuMs: barePage.cpuMsPerRequest
	};
	const page = (
		label: string,
		s: Stats | undefined,
		goal: { ratio: number; text: string } = GOALS.page
	) =>
		s &&
		makeRow(label, s, {
			baseline: bare,
			goal: goal.text,
			met: (r) => r !== null && r >= goal.ratio,
			valid: ok(s)
		});
	const renders = (r: RenderTimes): Figures => ({
		...r,
		rps: 1000 / r.meanMs,
		otherCpu: m.renders?.otherCpu
	});
	const flood = (label: string, f: { stats: Stats } | undefined) =>
		f &&
		makeRow(label, f.stats, {
			baseline: against('module page', m.modulePage),
			goal: GOALS.flood.text,
			met: (r) => r !== null && r >= GOALS.flood.ratio,
			valid: ok(f.stats)
		});
	const rows: (Row | undefined)[] = [
		barePage && makeRow('bare SvelteKit page (mean)', barePage),
		m.bareForm && makeRow('bare form action, 1 row, FULL', m.bareForm),
		page('1. module page (officer)', m.modulePage, GOALS.modulePage),
		m.sizedPage &&
			makeRow('1. bare page, module page bytes', m.sizedPage, {
				baseline: bare,
				goal: '(reported: the floor)',
				valid: ok(m.sizedPage)
			}),
		m.sizedPage &&
			m.modulePage &&
			makeRow('1. module page vs that floor', m.modulePage, {
				baseline: against('same bytes', m.sizedPage),
				goal: '(reported)',
				valid: ok(m.modulePage)
			}),
		m.modulePageGzip &&
			m.modulePage &&
			makeRow('1. module page, gzip', m.modulePageGzip, {
				baseline: against('module page', m.modulePage),
				goal: `(reported) ${kib(m.modulePageGzip)} vs ${kib(m.modulePage)} KiB`,
				valid: ok(m.modulePageGzip)
			}),
		m.submit &&
			makeRow('2. submit: completes + certifies', m.submit.stats, {
				baseline: against('bare form', m.bareForm),
				goal: GOALS.submit.text,
				met: (r, f) => r !== null && r >= GOALS.submit.ratio && f.p97_5 < GOALS.submit.p97_5,
				valid: ok(m.submit.stats) && m.submit.check.ok
			}),
		page('3. home page / (learner)', m.home),
		page('3. verification /verify/CODE', m.verify),
		m.renders &&
			makeRow('4. PDF render in process (fresh)', renders(m.renders.muster), {
				baseline: { name: 'bare pdf-lib', rps: 1000 / m.renders.bare.meanMs },
				goal: GOALS.pdfRender.text,
				met: (_r, f) => f.p95 < GOALS.pdfRender.p95
			}),
		m.cachedPdfAlone &&
			makeRow('4. PDF over HTTP, cached, 1 conn', m.cachedPdfAlone, {
				baseline: bare,
				goal: GOALS.pdfRender.text,
				met: (_r, f) => f.p95 < GOALS.pdfRender.p95,
				valid: ok(m.cachedPdfAlone)
			}),
		m.cachedPdf &&
			makeRow('4. PDF over HTTP, cached', m.cachedPdf, { baseline: bare, goal: '(reported)' }),
		m.freshPdf &&
			makeRow('4. PDF over HTTP, fresh renders', m.freshPdf, {
				baseline: bare,
				goal: '(reported)'
			}),
		m.pdfBurst &&
			makeRow('4. module page, 32 fresh PDFs', m.pdfBurst.stats, {
				baseline: against('module page', m.modulePage),
				goal: GOALS.pagesBesidePdfs.text,
				met: (_r, f) => f.p97_5 < GOALS.pagesBesidePdfs.p97_5,
				valid: ok(m.pdfBurst.stats) && ok(m.pdfBurst.pdf)
			}),
		flood('5. module page, flood 32 conns', m.flooded),
		flood(`5. module page, flood ${floodRate}/s`, m.floodedAtRate),
		// #14, in process: ratio = operations per second beside the baseline's (mean times).
		m.credentials && makeRow('6. sign one credential', m.credentials.sign, { goal: '(reported)' }),
		m.credentials &&
			makeRow('6. verify one credential', m.credentials.verify, { goal: '(reported)' }),
		m.credentials && makeRow('6. plain audit insert, FULL', m.credentials.plainInsert),
		m.credentials &&
			makeRow('6. chained audit append, FULL', m.credentials.chainedAppend, {
				baseline: { name: 'plain insert', rps: m.credentials.plainInsert.rps },
				goal: '(reported)'
			})
	];
	return rows.filter((r): r is Row => r !== undefined);
}
