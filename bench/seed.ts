// Seeds the benchmark's database: 5,000 learners with a year and a half of history (module
// progress, attempts, completions, certificates, sign-ins), so that queries run against tables
// where a missing index would show, plus the accounts the scenarios sign in as.
import { rmSync } from 'node:fs';
import type { Course } from '../src/lib/server/courses/catalog';
import { closeDatabase, openDatabase, type Tx } from '../src/lib/server/db';
import {
	agencyPolicy,
	assessmentAttempt,
	certificate,
	completion,
	membership,
	moduleProgress,
	organization,
	signInAttempt,
	user
} from '../src/lib/server/db/schema';
import { recordAudit } from '../src/lib/server/audit';
import { hashPassword } from '../src/lib/server/auth/password';
import { newCertificateCode } from '../src/lib/server/certificates/code';
import { addMonths } from '../src/lib/server/certificates/issue';
import { rng } from '../src/lib/server/assessments/draw';
import { sealExistingRecords } from '../src/lib/server/records/seal';
import { prepareSubmitters, type Submitter } from './submitters';
import { insertUsers, nameFor } from './users';

export const BENCH_PASSWORD = 'bench-run-password-2026';
export const ADMIN_EMAIL = 'admin@bench.test';
const DAY = 86_400_000;

export interface Seeded {
	/** Signed-in officers: roll-call in progress, one certificate each (theirs to download). */
	officers: { email: string; code: string }[];
	/** Learners whose one submission each completes volunteer-onboarding. */
	submitters: Submitter[];
	/** The same, used up by the warm-up of that scenario. */
	warmSubmitters: Submitter[];
	/** Codes of seeded certificates, for the public verification page. */
	codes: string[];
	/** Emails of seeded learners: the flood's wrong passwords are aimed at them. */
	learnerEmails: string[];
	rows: Record<string, number>;
	seconds: number;
}

function insertProgress(tx: Tx, userId: number, course: Course, count: number, at: Date): void {
	const rows = course.modules.slice(0, count).map((m, i) => ({
		userId,
		courseSlug: course.slug,
		moduleSlug: m.slug,
		contentVersion: course.meta.version,
		completedAt: new Date(at.getTime() + i * 3_600_000)
	}));
	if (rows.length) tx.insert(moduleProgress).values(rows).run();
}

/** A graded attempt as submitAttempt leaves it; when passed, its completion and certificate. */
function insertAttempt(
	tx: Tx,
	input: {
		userId: number;
		holder: string;
		course: Course;
		number: number;
		passed: boolean;
		at: Date;
	},
	random: () => number
): string | null {
	const { userId, course, at, passed } = input;
	const score = passed ? 80 + Math.floor(random() * 21) : 30 + Math.floor(random() * 40);
	const attemptId = tx
		.insert(assessmentAttempt)
		.values({
			userId,
			courseSlug: course.slug,
			contentVersion: course.meta.version,
			number: input.number,
			seed: Math.floor(random() * 2 ** 31),
			startedAt: new Date(at.getTime() - 20 * 60_000),
			status: 'submitted',
			submittedAt: at,
			earnedPoints: score,
			maxPoints: 100,
			score,
			passed
		})
		.returning({ id: assessmentAttempt.id })
		.get().id;
	if (!passed) return null;
	const completionId = tx
		.insert(completion)
		.values({
			userId,
			courseSlug: course.slug,
			contentVersion: course.meta.version,
			attemptId,
			score,
			method: 'self-paced',
			completedAt: at
		})
		.returning({ id: completion.id })
		.get().id;
	const code = newCertificateCode();
	const months = course.meta.validityMonths;
	tx.insert(certificate)
		.values({
			code,
			completionId,
			userId,
			courseSlug: course.slug,
			courseTitle: course.meta.title,
			contentVersion: course.meta.version,
			holderName: input.holder,
			issuer: 'Muster',
			creditHours: course.meta.creditHours,
			completedAt: at,
			issuedAt: at,
			expiresAt: months ? addMonths(at, months) : null
		})
		.run();
	return code;
}

export async function seedDatabase(
	path: string,
	courses: Course[],
	opts: { learners: number; officers: number; submitters: number; warmSubmitters: number }
): Promise<Seeded> {
	const started = performance.now();
	for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
	const { db } = openDatabase(path);
	// Seeding is not what is measured and the file is thrown away after the run: no fsync per
	// transaction here. The server opens its own connection with synchronous=FULL.
	db.$client.pragma('synchronous = OFF');
	const passwordHash = await hashPassword(BENCH_PASSWORD); // once, not 5,000 times
	// The seeded history is random but the same every run (mulberry32, fixed seed).
	const random = rng(2026);
	const now = Date.now();
	const codes: string[] = [];
	const learnerEmails = Array.from({ length: opts.learners }, (_, i) => `learner${i}@bench.test`);
	const officerEmails = Array.from({ length: opts.officers }, (_, i) => `officer${i}@bench.test`);
	const rollCall = courses.find((c) => c.slug === 'roll-call')!;
	const onboarding = courses.find((c) => c.slug === 'volunteer-onboarding')!;

	const officers = db.transaction((tx) => {
		const ids = insertUsers(tx, learnerEmails, passwordHash, new Date(now - 600 * DAY));
		for (const [i, userId] of ids.entries()) {
			const holder = nameFor(i);
			for (const course of courses) {
				const r = random();
				if (r < 0.45) continue; // never opened this course
				const at = new Date(now - Math.floor(random() * 540) * DAY);
				const all = r > 0.7;
				const count = all
					? course.modules.length
					: 1 + Math.floor(random() * course.modules.length);
				insertProgress(tx, userId, course, Math.min(count, course.modules.length), at);
				if (!all) continue;
				const outcome = random();
				let number = 1;
				if (outcome < 0.3)
					insertAttempt(
						tx,
						{ userId, holder, course, number: number++, passed: false, at },
						random
					);
				if (outcome < 0.85) {
					const later = new Date(at.getTime() + DAY);
					const code = insertAttempt(
						tx,
						{ userId, holder, course, number, passed: true, at: later },
						random
					);
					if (code) codes.push(code);
				}
			}
			// One successful sign-in each, audited, as the throttle and the audit trail would hold.
			const at = new Date(now - Math.floor(random() * 30) * DAY);
			const ip = `10.${(i >> 8) & 255}.${i & 255}.${1 + (i % 200)}`;
			tx.insert(signInAttempt).values({ emailKey: learnerEmails[i]!, ip, ok: true, at }).run();
			// Through the hash chain: a row inserted any other way stops the server's next append.
			recordAudit(tx, {
				at,
				actorId: userId,
				actorEmail: learnerEmails[i]!,
				action: 'auth.sign_in',
				outcome: 'success',
				ip
			});
		}
		// The supervisor of every learner may download any of their certificates: the uncached
		// PDF scenarios. (Not an instance administrator: those must sign in with a second factor.)
		const supervisor = tx
			.insert(user)
			.values({
				email: ADMIN_EMAIL,
				name: 'Bench Supervisor',
				passwordHash,
				emailVerifiedAt: new Date(now)
			})
			.returning({ id: user.id })
			.get().id;
		const created = new Date(now - 600 * DAY);
		const org = tx
			.insert(organization)
			.values({
				slug: 'bench-department',
				name: 'Bench Department',
				kind: 'department',
				timeZone: 'UTC',
				createdAt: created
			})
			.returning({ id: organization.id })
			.get().id;
		const members = [
			{ orgId: org, userId: supervisor, role: 'supervisor' as const, createdAt: created },
			...ids.map((userId) => ({ orgId: org, userId, role: 'learner' as const, createdAt: created }))
		];
		for (let i = 0; i < members.length; i += 500)
			tx.insert(membership)
				.values(members.slice(i, i + 500))
				.run();
		// The department has written its own policy, and the officers are its members: their
		// module pages show the "In our agency" boxes, as a real officer's do.
		tx.insert(agencyPolicy)
			.values({
				orgId: org,
				version: 1,
				policyTitle: 'Human trafficking response',
				policyNumber: 'GO 4.12',
				policyLink: 'https://bench.test/policy/4-12.pdf',
				state: 'IL',
				stateLawNote: 'Notify the state police within 24 hours of a suspected case.',
				taskForce: 'County human trafficking task force, 555-0100',
				victimSpecialist: 'Victim services unit, 555-0101 (around the clock)',
				ngoPartner: 'Harbor Light Outreach, 555-0102',
				notificationRule: 'Notify the on-duty sergeant before the end of the call.',
				createdBy: supervisor,
				createdAt: new Date(now - 100 * DAY)
			})
			.run();
		const officerIds = insertUsers(tx, officerEmails, passwordHash, new Date(now - 90 * DAY));
		tx.insert(membership)
			.values(
				officerIds.map((userId) => ({
					orgId: org,
					userId,
					role: 'learner' as const,
					createdAt: new Date(now - 90 * DAY)
				}))
			)
			.run();
		return officerIds.map((userId, i) => {
			insertProgress(tx, userId, rollCall, 3, new Date(now - 3 * DAY));
			insertProgress(tx, userId, onboarding, onboarding.modules.length, new Date(now - 40 * DAY));
			const at = new Date(now - 30 * DAY);
			const code = insertAttempt(
				tx,
				{ userId, holder: nameFor(i), course: onboarding, number: 1, passed: true, at },
				random
			)!;
			return { email: officerEmails[i]!, code };
		});
	});

	const submitters = prepareSubmitters(db, onboarding, passwordHash, 'submitter', opts.submitters);
	const warmSubmitters = prepareSubmitters(
		db,
		onboarding,
		passwordHash,
		'warm',
		opts.warmSubmitters
	);
	// The rows above bypass recordAudit and sealRecord: chain and seal them once, as for a
	// database from before the hash chain, or the server refuses every audited action (sign-in).
	db.$client.prepare('delete from meta where key = ?').run('records.chain-v1');
	sealExistingRecords(db);
	const rows: Record<string, number> = {};
	for (const table of [
		'user',
		'module_progress',
		'assessment_attempt',
		'scenario_step',
		'completion',
		'certificate',
		'sign_in_attempt',
		'audit_event'
	]) {
		rows[table] = (
			db.$client.prepare(`select count(*) as n from ${table}`).get() as { n: number }
		).n;
	}
	closeDatabase(db);
	return {
		officers,
		submitters,
		warmSubmitters,
		codes,
		learnerEmails,
		rows,
		seconds: (performance.now() - started) / 1000
	};
}
