// The framework's floor for the module page: the baseline app's /sized route sends the module
// page's own markup and page data, captured here from Muster's answer to a signed-in officer,
// with no work behind them (no session, no database, no components). The module page's figures
// beside it show what Muster's own work costs; beside the bare page, what the bytes cost.
import { writeFileSync } from 'node:fs';
import { unflatten } from 'devalue';
import { LEARNER_ADDRESS } from './http';
import type { Server } from './servers';

/** Writes `{ body, nodes }` for the baseline's /sized route and returns the markup's size. */
export async function captureSizedPage(
	app: Server,
	path: string,
	cookie: string,
	file: string
): Promise<{ htmlBytes: number; bodyBytes: number }> {
	const headers = { cookie, 'x-forwarded-for': LEARNER_ADDRESS };
	const html = await (await fetch(app.url + path, { headers })).text();
	const start = html.indexOf('<div style="display: contents">');
	const end = html.lastIndexOf('<script');
	if (start < 0 || end < start) throw new Error(`${path}: no SvelteKit body to capture`);
	const body = html.slice(start + '<div style="display: contents">'.length, end);
	const res = await fetch(`${app.url}${path}/__data.json`, { headers });
	const json = (await res.json()) as { nodes: ({ type: string; data?: unknown[] } | null)[] };
	if (!res.ok) throw new Error(`${path}/__data.json answered ${res.status}`);
	const nodes = json.nodes.map((n) => (n?.type === 'data' && n.data ? unflatten(n.data) : null));
	writeFileSync(file, JSON.stringify({ body, nodes }));
	return { htmlBytes: Buffer.byteLength(html), bodyBytes: Buffer.byteLength(body) };
}
