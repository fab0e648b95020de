// Module pages while 32 connections download certificate PDFs that are not in the cache: each
// download is a fresh render, which runs in the PDF worker threads, not on the event loop that
// serves the pages.
import { LEARNER_ADDRESS } from './http';
import { runLoad, warmUp, type Load, type Stats } from './load';
import { MODULE_PATH, watched, type Bench } from './scenarios';

function modulePages(bench: Bench): Load {
	let i = 0;
	return {
		url: bench.app.url,
		expect: 200,
		request: () => ({
			method: 'GET',
			path: MODULE_PATH,
			headers: {
				'x-forwarded-for': LEARNER_ADDRESS,
				cookie: bench.officerCookies[i++ % bench.officerCookies.length]!
			}
		})
	};
}

export async function pagesBesidePdfBurst(bench: Bench): Promise<{ stats: Stats; pdf: Stats }> {
	// From the far end of the seeded codes, so no download finds an earlier run's render cached.
	const codes = [...bench.seeded.codes].reverse();
	let n = 0;
	let measured = (): void => undefined;
	const until = new Promise<void>((done) => (measured = done));
	const downloads = runLoad({
		url: bench.app.url,
		connections: 32,
		duration: bench.duration + 60, // stopped as soon as the measured load ends
		until,
		expect: 200,
		request: () => ({
			method: 'GET',
			path: `/certificates/${codes[n++ % codes.length]}.pdf`,
			headers: { 'x-forwarded-for': LEARNER_ADDRESS, cookie: bench.adminCookie }
		})
	});
	await new Promise((r) => setTimeout(r, 1_000));
	await warmUp(modulePages(bench), 2);
	const stats = await watched(bench, () =>
		runLoad({ ...modulePages(bench), duration: bench.duration })
	);
	measured();
	const pdf = await downloads;
	const f = (x: number) => x.toFixed(1);
	console.log(
		`  module page beside 32 fresh PDF downloads: ${Math.round(stats.rps)} req/s, ` +
			`p50 ${f(stats.p50)} ms, p97.5 ${f(stats.p97_5)} ms` +
			(stats.unexpected ? `, ${stats.unexpected} UNEXPECTED` : '')
	);
	console.log(
		`    the downloads: ${Math.round(pdf.rps)} PDFs/s, p50 ${f(pdf.p50)} ms, p97.5 ${f(pdf.p97_5)} ms` +
			(pdf.unexpected ? `, ${pdf.unexpected} UNEXPECTED` : '')
	);
	return { stats, pdf };
}
