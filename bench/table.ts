// The goals, each judged against the baseline measured in the same run.
import type { Stats } from './load';
import type { RenderTimes } from './pdf';
import { makeRow, type Figures, type Row } from './report';
import type { SubmitCheck } from './scenarios';

export interface Measurements {
	barePageFirst: Stats;
	barePageLast: Stats;
	bareForm: Stats;
	modulePage: Stats;
	modulePageGzip: Stats;
	submit: { stats: Stats; check: SubmitCheck };
	home: Stats;
	verify: Stats;
	renders: { muster: RenderTimes; bare: RenderTimes; otherCpu: number | null };
	cachedPdf: Stats;
	cachedPdfAlone: Stats;
	freshPdf: Stats;
	pdfBurst: { stats: Stats; pdf: Stats };
	flooded: { stats: Stats; flood: Stats };
	floodedAtRate: { stats: Stats; flood: Stats };
}

/** Mean KiB per response, headers included. */
const kib = (s: Stats) => ((s.bytes ?? 0) / 1024).toFixed(1);

/** Wrong statuses void a row: a page that answered with a redirect to /login proves nothing. */
const ok = (s: Stats) => s.unexpected === 0;

export function buildTable(m: Measurements, floodRate: number): Row[] {
	// The bare page is measured at the start and at the end; the machine drifts in between
	// (other work, thermal limits), so each page is compared with the mean of the two.
	const barePage: Figures = {
		rps: (m.barePageFirst.rps + m.barePageLast.rps) / 2,
		p50: (m.barePageFirst.p50 + m.barePageLast.p50) / 2,
		p95: (m.barePageFirst.p95 + m.barePageLast.p95) / 2,
		p97_5: (m.barePageFirst.p97_5 + m.barePageLast.p97_5) / 2,
		p99: (m.barePageFirst.p99 + m.barePageLast.p99) / 2,
		otherCpu: Math.max(m.barePageFirst.otherCpu ?? 0, m.barePageLast.otherCpu ?? 0)
	};
	const bare = { name: 'bare page', rps: barePage.rps };
	const renders = (r: RenderTimes): Figures => ({
		...r,
		rps: 1000 / r.meanMs,
		otherCpu: m.renders.otherCpu
	});
	const half = (r: number | null) => r! >= 0.5;
	const flood = (label: string, f: { stats: Stats }) =>
		makeRow(label, f.stats, {
			baseline: { name: 'module page', rps: m.modulePage.rps },
			goal: '>= 80%',
			met: (r) => r! >= 0.8,
			valid: ok(f.stats)
		});
	return [
		makeRow('bare SvelteKit page (mean)', barePage),
		makeRow('bare form action, 1 row, FULL', m.bareForm),
		makeRow('1. module page (officer)', m.modulePage, {
			baseline: bare,
			goal: '>= 50%, p97.5 < 100 ms',
			met: (r, f) => half(r) && f.p97_5 < 100,
			valid: ok(m.modulePage)
		}),
		makeRow('1. module page, gzip', m.modulePageGzip, {
			baseline: { name: 'module page', rps: m.modulePage.rps },
			goal: `(reported) ${kib(m.modulePageGzip)} vs ${kib(m.modulePage)} KiB`
		}),
		makeRow('2. submit: completes + certifies', m.submit.stats, {
			baseline: { name: 'bare form', rps: m.bareForm.rps },
			goal: '>= 60%, p97.5 < 150 ms',
			met: (r, f) => r! >= 0.6 && f.p97_5 < 150,
			valid: ok(m.submit.stats) && m.submit.check.ok
		}),
		makeRow('3. home page / (learner)', m.home, {
			baseline: bare,
			goal: '>= 50%',
			met: half,
			valid: ok(m.home)
		}),
		makeRow('3. verification /verify/CODE', m.verify, {
			baseline: bare,
			goal: '>= 50%',
			met: half,
			valid: ok(m.verify)
		}),
		makeRow('4. PDF render in process (fresh)', renders(m.renders.muster), {
			baseline: { name: 'bare pdf-lib', rps: 1000 / m.renders.bare.meanMs },
			goal: 'p95 < 10 ms',
			met: (_r, f) => f.p95 < 10
		}),
		makeRow('4. PDF over HTTP, cached, 1 conn', m.cachedPdfAlone, {
			baseline: bare,
			goal: 'p95 < 10 ms',
			met: (_r, f) => f.p95 < 10,
			valid: ok(m.cachedPdfAlone)
		}),
		makeRow('4. PDF over HTTP, cached', m.cachedPdf, { baseline: bare, goal: '(reported)' }),
		makeRow('4. PDF over HTTP, fresh renders', m.freshPdf, { baseline: bare, goal: '(reported)' }),
		makeRow('4. module page, 32 fresh PDFs', m.pdfBurst.stats, {
			baseline: { name: 'module page', rps: m.modulePage.rps },
			goal: 'p97.5 < 150 ms',
			met: (_r, f) => f.p97_5 < 150,
			valid: ok(m.pdfBurst.stats) && ok(m.pdfBurst.pdf)
		}),
		flood('5. module page, flood 32 conns', m.flooded),
		flood(`5. module page, flood ${floodRate}/s`, m.floodedAtRate)
	];
}
