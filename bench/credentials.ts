// `npx tsx bench/credentials.ts` (and `npm run bench`): the costs the tamper-evident records and Open Badges add, in
// this process. Signing and verifying one Open Badges 3.0 credential (eddsa-rdfc-2022, offline),
// and appending one audit event to the hash chain beside a plain insert of the same row (each
// in its own transaction on a file with synchronous=FULL, as the submit path does).
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { recordAudit } from '../src/lib/server/audit';
import { closeDatabase, openDatabase } from '../src/lib/server/db';
import { signCredential, unsignedCredential } from '../src/lib/server/credentials/open-badge';
import { publicKeys } from '../src/lib/server/credentials/keys';
import { offlineLoader } from '../src/lib/server/credentials/loader';
import { summarize } from './load';
import type { Figures } from './report';

const cert = {
	id: 7,
	code: '7KQ2M9XD4HTC0P8RW3ZBN6VEJ5',
	userId: 1,
	courseSlug: 'roll-call',
	courseTitle: 'Roll-call training: recognizing and responding to human trafficking',
	contentVersion: '2026.1',
	holderName: 'Zoë Núñez',
	issuer: 'Riverside Police Department',
	creditHours: 1.5,
	completedAt: new Date('2026-11-23T10:00:00Z'),
	expiresAt: new Date('2027-11-23T10:00:00Z'),
	revokedAt: null,
	revocationReason: null
};

/** One operation timed in this process: the first call, then `n` more after three warm-ups. */
export interface OpTimes extends Figures {
	coldMs: number;
	meanMs: number;
	n: number;
}

export interface CredentialTimes {
	sign: OpTimes;
	verify: OpTimes;
	plainInsert: OpTimes;
	chainedAppend: OpTimes;
}

async function times(n: number, run: () => Promise<unknown> | unknown): Promise<OpTimes> {
	let t = performance.now();
	await run();
	const coldMs = performance.now() - t;
	for (let i = 0; i < 3; i++) await run();
	const all: number[] = [];
	for (let i = 0; i < n; i++) {
		t = performance.now();
		await run();
		all.push(performance.now() - t);
	}
	const meanMs = all.reduce((a, b) => a + b, 0) / n;
	return { coldMs, meanMs, n, rps: 1000 / meanMs, ...summarize(all) };
}

export async function timeCredentials(): Promise<CredentialTimes> {
	const work = mkdtempSync(join(tmpdir(), 'muster-bench-credentials-'));
	const settings = { origin: 'https://muster.example.org', keysDir: join(work, 'keys') };
	try {
		let signed: object | undefined;
		const sign = await times(40, async () => {
			signed = await signCredential(
				unsignedCredential(cert, 'officer@riverside.example', undefined, settings, 'salt'),
				settings
			);
		});
		const suite = new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 });
		const documentLoader = offlineLoader(settings.origin, publicKeys(settings.keysDir));
		const verify = await times(40, async () => {
			const r = await vc.verifyCredential({
				credential: signed,
				suite,
				documentLoader,
				checkStatus: async () => ({ verified: true })
			});
			if (!r.verified) throw new Error('did not verify');
		});

		const { db } = openDatabase(join(work, 'chain.db'));
		const plain = new Database(join(work, 'plain.db'));
		plain.pragma('journal_mode = WAL');
		plain.pragma('synchronous = FULL');
		plain.exec(
			'create table audit_event (id integer primary key autoincrement, at integer, action text, outcome text, detail text)'
		);
		const insert = plain.prepare(
			"insert into audit_event (at, action, outcome, detail) values (?, 'bench', 'success', ?)"
		);
		const detail = { course: 'roll-call', score: 90, certificate: cert.code };
		const plainInsert = await times(500, () =>
			plain.transaction(() => insert.run(Date.now(), JSON.stringify(detail)))()
		);
		const chainedAppend = await times(500, () =>
			db.transaction((tx) => recordAudit(tx, { action: 'bench', outcome: 'success', detail }))
		);
		plain.close();
		closeDatabase(db);
		return { sign, verify, plainInsert, chainedAppend };
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}

export function describeCredentials(r: CredentialTimes): string {
	const f = (name: string, t: OpTimes) =>
		`  ${name} cold ${t.coldMs.toFixed(1)} ms, then mean ${t.meanMs.toFixed(2)} ms, ` +
		`p50 ${t.p50.toFixed(2)}, p95 ${t.p95.toFixed(2)} (n=${t.n})`;
	return [
		f('sign one credential:   ', r.sign),
		f('verify one credential: ', r.verify),
		f('plain audit insert:    ', r.plainInsert),
		f('chained audit append:  ', r.chainedAppend)
	].join('\n');
}

// Run directly: print the four timings.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	console.log(describeCredentials(await timeCredentials()));
}
