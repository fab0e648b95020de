import { eq } from 'drizzle-orm';
import type { DB, Tx } from './db';
import {
	assignment,
	exemption,
	groupMember,
	meta,
	moduleProgress,
	orgGroup,
	organization,
	user,
	type GroupKind,
	type OrgKind,
	type Role
} from './db/schema';
import { hashPassword } from './auth/password';
import type { Catalog } from './courses/catalog';
import { recordCompletion } from './learning/completion';
import { recordAudit } from './audit';
import { sealRecord } from './records/seal';
import { addMembership } from './orgs/organizations';
import { addDays, addMonths, dayIn } from './training/days';

export const DEMO_PASSWORD = 'muster-demo-2026';

export const DEMO_ACCOUNTS = [
	{ email: 'admin@muster.test', name: 'Alex Morgan', isInstanceAdmin: true },
	{ email: 'admin@riverside.muster.test', name: 'Capt. Erin Novak', isInstanceAdmin: false },
	{ email: 'sergeant@riverside.muster.test', name: 'Sgt. Dana Whitfield', isInstanceAdmin: false },
	{ email: 'officer@riverside.muster.test', name: 'Officer Luis Ramírez', isInstanceAdmin: false },
	{ email: 'chief@campus.muster.test', name: 'Chief Renée Okafor', isInstanceAdmin: false },
	{ email: 'coordinator@harbor.muster.test', name: 'Maya Chen', isInstanceAdmin: false },
	{ email: 'volunteer@harbor.muster.test', name: 'Jordan Ellis', isInstanceAdmin: false }
] as const;

interface DemoOrg {
	slug: string;
	name: string;
	kind: OrgKind;
	timeZone: string;
	domain: string;
	course: string;
	groups: [string, GroupKind][];
	named: { email: string; role: Role; groups: number[]; joinedDaysAgo?: number }[];
	roster: number;
	/** Required training: relative due dates in days, fixed ones as days from today. */
	requirements: {
		course: string;
		groups?: number[];
		due: { afterJoining: number } | { inDays: number };
		renewalMonths: number | null;
	}[];
}

const ORGS: DemoOrg[] = [
	{
		slug: 'riverside-pd',
		name: 'Riverside Police Department',
		kind: 'department',
		timeZone: 'America/Chicago',
		domain: 'riverside.muster.test',
		course: 'roll-call',
		groups: [
			['Patrol A shift', 'shift'],
			['Patrol B shift', 'shift'],
			['Night shift', 'shift'],
			['Investigations unit', 'unit']
		],
		named: [
			{ email: 'admin@riverside.muster.test', role: 'admin', groups: [] },
			{ email: 'sergeant@riverside.muster.test', role: 'supervisor', groups: [0] },
			{ email: 'officer@riverside.muster.test', role: 'learner', groups: [0], joinedDaysAgo: 21 }
		],
		roster: 36,
		requirements: [
			{ course: 'roll-call', due: { afterJoining: 30 }, renewalMonths: 12 },
			{
				course: 'victim-centered-interviewing',
				groups: [3],
				due: { inDays: 10 },
				renewalMonths: 24
			}
		]
	},
	{
		slug: 'northfield-ps',
		name: 'Northfield University Public Safety',
		kind: 'campus',
		timeZone: 'America/New_York',
		domain: 'campus.muster.test',
		course: 'campus-guide',
		groups: [
			['Day patrol', 'shift'],
			['Evening patrol', 'shift'],
			['Residence life liaison team', 'team']
		],
		named: [{ email: 'chief@campus.muster.test', role: 'admin', groups: [] }],
		roster: 18,
		requirements: [{ course: 'campus-guide', due: { afterJoining: 60 }, renewalMonths: 24 }]
	},
	{
		slug: 'harbor-light',
		name: 'Harbor Light Outreach',
		kind: 'ngo',
		timeZone: 'America/Los_Angeles',
		domain: 'harbor.muster.test',
		course: 'volunteer-onboarding',
		groups: [
			['Street outreach team', 'team'],
			['Drop-in center team', 'team']
		],
		named: [
			{ email: 'coordinator@harbor.muster.test', role: 'admin', groups: [] },
			{ email: 'volunteer@harbor.muster.test', role: 'learner', groups: [1], joinedDaysAgo: 3 }
		],
		roster: 24,
		requirements: [
			{ course: 'volunteer-onboarding', due: { afterJoining: 14 }, renewalMonths: null }
		]
	}
];

const FIRST = [
	'Ana',
	'Marcus',
	'Priya',
	'Tomás',
	'Keisha',
	'Daniel',
	'Mei',
	'Omar',
	'Sofia',
	'Jamal',
	'Zoë',
	'Liam',
	'Nguyễn Thị',
	'Grace',
	'Mateo',
	'Aisha',
	'Connor',
	'Yusuf'
];
const LAST = [
	'Alvarez',
	'Brooks',
	'Patel',
	'Nowak',
	'Johnson',
	'Kim',
	'Haddad',
	'Ñúñez-Łukasiewicz',
	'Okoro',
	'Reyes',
	'Schmidt',
	'Ánh',
	'Walker',
	'Dubois',
	'Fischer',
	'Moreno'
];

const ascii = (s: string) =>
	s
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/ł/g, 'l')
		.replace(/Ł/g, 'L')
		.replace(/[^A-Za-z]+/g, '')
		.toLowerCase();

/**
 * Loads the demo into a new database, in one transaction: the accounts of DESIGN.md, three
 * organizations with rosters in groups, and some progress, completions and certificates.
 * Deterministic, so every fresh start shows the same picture.
 */
export async function loadDemo(db: DB, catalog: Catalog): Promise<void> {
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	const now = new Date();
	db.transaction((tx) => {
		const ids = new Map<string, number>();
		const addUser = (email: string, name: string, isInstanceAdmin = false) => {
			const id = tx
				.insert(user)
				.values({
					email,
					name,
					isInstanceAdmin,
					passwordHash,
					emailVerifiedAt: now, // demo accounts count as verified
					createdAt: now,
					passwordChangedAt: now
				})
				.returning({ id: user.id })
				.get().id;
			ids.set(email, id);
			return id;
		};
		for (const a of DEMO_ACCOUNTS) addUser(a.email, a.name, a.isInstanceAdmin);
		let n = 0;
		for (const o of ORGS) {
			const orgId = tx
				.insert(organization)
				.values({ slug: o.slug, name: o.name, kind: o.kind, timeZone: o.timeZone, createdAt: now })
				.returning({ id: organization.id })
				.get().id;
			const groups = o.groups.map(
				([name, kind]) =>
					tx.insert(orgGroup).values({ orgId, name, kind }).returning({ id: orgGroup.id }).get().id
			);
			const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
			const join = (
				userId: number,
				role: Role,
				groupIdx: number[],
				employeeId: string | null,
				joinedAt: Date
			) => {
				const membershipId = addMembership(tx, { orgId, userId, role, employeeId, now: joinedAt });
				for (const g of groupIdx)
					tx.insert(groupMember)
						.values({ groupId: groups[g]!, membershipId, addedAt: joinedAt })
						.run();
			};
			for (const m of o.named)
				join(ids.get(m.email)!, m.role, m.groups, null, daysAgo(m.joinedDaysAgo ?? 400));
			const staffId = ids.get(o.named.find((m) => m.role !== 'learner')!.email)!;
			// The named staff are up to date with their own required training.
			for (const m of o.named.filter((m) => m.role !== 'learner'))
				seedScenario(
					tx,
					catalog,
					ids.get(m.email)!,
					o.requirements[0]!.course,
					'completed',
					3,
					now,
					o.name
				);
			const exempt: number[] = [];
			for (let i = 0; i < o.roster; i++, n++) {
				const first = FIRST[n % FIRST.length]!;
				const last = LAST[(n * 7) % LAST.length]!;
				const email = `${ascii(first)}.${ascii(last)}${n}@${o.domain}`;
				const userId = addUser(email, `${first} ${last}`);
				const role: Role = i === 0 ? 'admin' : i % 12 === 1 ? 'supervisor' : 'learner';
				const scenario = SCENARIOS[i % SCENARIOS.length]!;
				const firstDue = o.requirements[0]!.due;
				const dueDays = 'afterJoining' in firstDue ? firstDue.afterJoining : 30;
				const joinedAgo =
					scenario === 'due-soon'
						? dueDays - 7
						: scenario === 'in-progress'
							? 4
							: scenario === 'overdue' || scenario === 'overdue-started' || scenario === 'exempt'
								? 200
								: 800;
				join(
					userId,
					role,
					[i % groups.length],
					o.kind === 'ngo' ? null : String(4100 + n),
					daysAgo(joinedAgo)
				);
				const slugs = o.requirements
					.filter((r) => !r.groups || r.groups.includes(i % groups.length))
					.map((r) => r.course);
				for (const slug of slugs) seedScenario(tx, catalog, userId, slug, scenario, n, now, o.name);
				if (scenario === 'exempt') exempt.push(userId);
			}
			const today = dayIn(now, o.timeZone);
			const seriesIds = o.requirements.map((r) => {
				const id = tx
					.insert(assignment)
					.values({
						orgId,
						courseSlug: r.course,
						scope: r.groups ? 'groups' : 'org',
						groupIds: (r.groups ?? []).map((g) => groups[g]!),
						userIds: [],
						dueKind: 'afterJoining' in r.due ? 'after_joining' : 'fixed',
						dueOn: 'inDays' in r.due ? addDays(today, r.due.inDays) : null,
						dueDays: 'afterJoining' in r.due ? r.due.afterJoining : null,
						renewalMonths: r.renewalMonths,
						createdBy: staffId,
						createdAt: daysAgo(420),
						since: daysAgo(420)
					})
					.returning({ id: assignment.id })
					.get().id;
				tx.update(assignment).set({ seriesId: id }).where(eq(assignment.id, id)).run();
				return id;
			});
			exempt.forEach((userId, k) => {
				const id = tx
					.insert(exemption)
					.values({
						orgId,
						seriesId: seriesIds[0]!,
						userId,
						reason: k % 2 ? 'light_duty' : 'medical_leave',
						note: null,
						endsOn: addDays(today, 30 + k * 14),
						createdBy: staffId,
						createdAt: daysAgo(10)
					})
					.returning({ id: exemption.id })
					.get().id;
				// A sealed record, like any exemption: its event commits to it.
				recordAudit(tx, {
					action: 'exemption.create',
					outcome: 'success',
					actorId: staffId,
					orgId,
					subjectType: 'exemption',
					subjectId: id,
					detail: { demo: true, records: [sealRecord(tx, 'exemption', id)] }
				});
			});
		}
		tx.insert(meta).values({ key: 'demo', value: now.toISOString() }).run();
	});
}

/**
 * A true-to-life spread of statuses: some done, some late, some due soon, some with a
 * certificate about to expire or expired, some exempt, some halfway through.
 */
const SCENARIOS = [
	'completed',
	'overdue',
	'due-soon',
	'expiring',
	'in-progress',
	'overdue-started',
	'completed',
	'exempt',
	'expired',
	'completed'
] as const;
type Scenario = (typeof SCENARIOS)[number];

function seedScenario(
	tx: Tx,
	catalog: Catalog,
	userId: number,
	slug: string,
	scenario: Scenario,
	n: number,
	now: Date,
	issuer: string
): void {
	const course = catalog.bySlug.get(slug)!;
	const validity = course.meta.validityMonths ?? 12;
	const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
	const nowDay = now.toISOString().slice(0, 10);
	const monthsBack = (months: number, plusDays: number) => {
		const day = addDays(addMonths(nowDay, -months), plusDays);
		return new Date(`${day}T${now.toISOString().slice(11)}`);
	};
	const completedAt =
		scenario === 'completed'
			? daysAgo(5 + ((n * 37) % 290))
			: scenario === 'expiring'
				? monthsBack(validity, 40)
				: scenario === 'expired'
					? monthsBack(validity, -15)
					: null;
	const read = completedAt
		? course.modules.length
		: scenario === 'in-progress' || scenario === 'overdue-started'
			? 1 + (n % (course.modules.length - 1))
			: 0;
	const readFrom = completedAt ?? daysAgo(3);
	course.modules.slice(0, read).forEach((m, i) => {
		tx.insert(moduleProgress)
			.values({
				userId,
				courseSlug: slug,
				moduleSlug: m.slug,
				contentVersion: course.meta.version,
				completedAt: new Date(readFrom.getTime() - (read - i) * 3_600_000)
			})
			.run();
	});
	if (completedAt) {
		recordCompletion(tx, {
			userId,
			course,
			attemptId: null,
			score: 80 + (n % 5) * 5,
			method: n % 2 ? 'roll-call' : 'self-paced',
			issuer,
			now: completedAt
		});
	}
}

export function hasDemo(db: DB): boolean {
	return db.select({ v: meta.value }).from(meta).where(eq(meta.key, 'demo')).get() !== undefined;
}
