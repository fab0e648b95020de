import { eq } from 'drizzle-orm';
import type { DB, Tx } from './db';
import {
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
import { addMembership } from './orgs/organizations';

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
	named: { email: string; role: Role; groups: number[] }[];
	roster: number;
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
			{ email: 'officer@riverside.muster.test', role: 'learner', groups: [0] }
		],
		roster: 36
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
		roster: 18
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
			{ email: 'volunteer@harbor.muster.test', role: 'learner', groups: [1] }
		],
		roster: 24
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
			const join = (userId: number, role: Role, groupIdx: number[], employeeId: string | null) => {
				const membershipId = addMembership(tx, { orgId, userId, role, employeeId, now });
				for (const g of groupIdx)
					tx.insert(groupMember).values({ groupId: groups[g]!, membershipId }).run();
			};
			for (const m of o.named) join(ids.get(m.email)!, m.role, m.groups, null);
			for (let i = 0; i < o.roster; i++, n++) {
				const first = FIRST[n % FIRST.length]!;
				const last = LAST[(n * 7) % LAST.length]!;
				const email = `${ascii(first)}.${ascii(last)}${n}@${o.domain}`;
				const userId = addUser(email, `${first} ${last}`);
				const role: Role = i === 0 ? 'admin' : i % 12 === 1 ? 'supervisor' : 'learner';
				join(userId, role, [i % groups.length], o.kind === 'ngo' ? null : String(4100 + n));
				seedProgress(tx, catalog, userId, o.course, n, now, o.name);
			}
		}
		tx.insert(meta).values({ key: 'demo', value: now.toISOString() }).run();
	});
}

/** Some roster members have read part of their course; every third has completed it. */
function seedProgress(
	tx: Tx,
	catalog: Catalog,
	userId: number,
	slug: string,
	n: number,
	now: Date,
	issuer: string
): void {
	const course = catalog.bySlug.get(slug)!;
	const read = n % 3 === 0 ? course.modules.length : n % course.modules.length;
	const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
	course.modules.slice(0, read).forEach((m, i) => {
		tx.insert(moduleProgress)
			.values({
				userId,
				courseSlug: slug,
				moduleSlug: m.slug,
				contentVersion: course.meta.version,
				completedAt: daysAgo(40 - i)
			})
			.run();
	});
	if (n % 3 === 0) {
		recordCompletion(tx, {
			userId,
			course,
			attemptId: null,
			score: 80 + (n % 5) * 5,
			method: 'self-paced',
			issuer,
			now: daysAgo(30 - (n % 20))
		});
	}
}

export function hasDemo(db: DB): boolean {
	return db.select({ v: meta.value }).from(meta).where(eq(meta.key, 'demo')).get() !== undefined;
}
