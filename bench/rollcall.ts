// Roll call over HTTP against the running server: fifty officers join one session at the same
// moment (time until every join is acknowledged), then the presenter's update delay: how long
// after a join's acknowledgement the presence endpoint the presenter polls counts it.
import { createSession } from '../src/lib/server/auth/session';
import { readConfig } from '../src/lib/server/config';
import { openDatabase } from '../src/lib/server/db';
import { membership, organization } from '../src/lib/server/db/schema';
import { formHeaders } from './http';
import type { Server } from './servers';
import { insertUsers } from './users';

/** The presenter page asks for the count this often (see the present page). */
export const PRESENTER_POLL_MS = 1000;

export interface RollcallTimes {
	joiners: number;
	/** From sending the fifty joins to the last acknowledgement. */
	allAcknowledgedMs: number;
	joinP50Ms: number;
	recorded: number;
	/** Join acknowledged → presence endpoint counts it, over `delaySamples` single joins. */
	presenceDelayP50Ms: number;
	presenceDelayMaxMs: number;
	delaySamples: number;
	/** The worst a presenter screen waits: one poll interval plus the slowest delay. */
	presenterWorstMs: number;
}

const pct = (xs: number[], p: number) => {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.floor((s.length - 1) * p))]!;
};

export async function timeRollcall(app: Server, dbPath: string, joiners = 50, samples = 10) {
	// Accounts and sessions written beside the live server (its own connection), then closed
	// without a checkpoint so the server's writers are never held back.
	const { db } = openDatabase(dbPath);
	const config = readConfig({});
	const now = new Date();
	const emails = Array.from({ length: joiners + samples + 1 }, (_, i) => `rollcall${i}@bench.test`);
	const cookies = db.transaction((tx) => {
		const orgId = tx
			.insert(organization)
			.values({
				slug: 'bench-rollcall',
				name: 'Bench Roll Call PD',
				kind: 'department',
				timeZone: 'UTC',
				createdAt: now
			})
			.returning({ id: organization.id })
			.get().id;
		const ids = insertUsers(tx, emails, 'not-a-password-hash', now);
		ids.forEach((userId, i) =>
			tx
				.insert(membership)
				.values({ orgId, userId, role: i === 0 ? 'supervisor' : 'learner', createdAt: now })
				.run()
		);
		return ids;
	});
	const cookieFor = cookies.map(
		(userId, i) => `muster_session=${createSession(db, config, userId, { staff: i === 0 }).token}`
	);
	db.$client.close();

	const post = (path: string, cookie: string, form: Record<string, string>) =>
		fetch(app.url + path, {
			method: 'POST',
			headers: { ...formHeaders(app), cookie },
			body: new URLSearchParams(form),
			redirect: 'manual'
		});
	const started = await post('/orgs/bench-rollcall/rollcall?/start', cookieFor[0]!, {
		module: 'roll-call/who-to-call',
		group: ''
	});
	const present = started.headers.get('location');
	if (started.status !== 303 || !present)
		throw new Error(`starting a roll-call session answered ${started.status}`);
	const html = await (
		await fetch(app.url + present, { headers: { cookie: cookieFor[0]! } })
	).text();
	const code = /class="code[^"]*"[^>]*>([^<]+)</.exec(html)?.[1];
	if (!code) throw new Error('no join code on the presenter page');
	const presence = async () => {
		const r = await fetch(`${app.url}${present.replace(/\/present$/, '/presence')}`, {
			headers: { cookie: cookieFor[0]! }
		});
		return ((await r.json()) as { count: number }).count;
	};

	const t0 = performance.now();
	const acks = await Promise.all(
		cookieFor.slice(1, joiners + 1).map(async (cookie) => {
			const r = await post('/rollcall', cookie, { code });
			await r.arrayBuffer();
			if (r.status !== 303) throw new Error(`a join answered ${r.status}`);
			return performance.now() - t0;
		})
	);
	const recorded = await presence();

	const delays: number[] = [];
	for (const cookie of cookieFor.slice(joiners + 1)) {
		const before = await presence();
		const r = await post('/rollcall', cookie, { code });
		await r.arrayBuffer();
		const acked = performance.now();
		while ((await presence()) <= before) await new Promise((res) => setTimeout(res, 5));
		delays.push(performance.now() - acked);
	}
	const times: RollcallTimes = {
		joiners,
		allAcknowledgedMs: Math.max(...acks),
		joinP50Ms: pct(acks, 0.5),
		recorded,
		presenceDelayP50Ms: pct(delays, 0.5),
		presenceDelayMaxMs: Math.max(...delays),
		delaySamples: delays.length,
		presenterWorstMs: PRESENTER_POLL_MS + Math.max(...delays)
	};
	return times;
}
