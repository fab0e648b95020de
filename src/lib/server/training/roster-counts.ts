import type Database from 'better-sqlite3';
import { clientOf } from '../audit';
import type { Queryable } from '../db';
import { prepared } from '../db/prepared';
import { dayIn } from './days';
import { activeAssignments, requirementKey, type Assignment, type OrgRef } from './roster-status';
import {
	compiledState,
	compileRule,
	countingCompletion,
	packCompletion,
	packCompletionSql,
	STATE_RANK,
	STATES,
	type State
} from './status';

/**
 * The state of every member × requirement of an organization, for counting and filtering
 * (the supervisor's dashboard, the matrix's status filter) at the size of a department:
 * 5,000 members × 12 requirements in a few statements and a loop of number comparisons.
 * `rosterStatus` stays the source of every status a page shows with its dates; this reads the
 * same records reduced by SQL (per person and course: the latest completion not revoked and
 * the latest still valid, from a covering index) and applies the compiled rule of status.ts.
 * tests/unit/roster-counts.test.ts compares the two cell by cell.
 */

function statement(db: Queryable, key: string, sql: string): Database.Statement {
	return prepared(db, `training.counts.${key}`, (db) => clientOf(db).prepare(sql));
}

const MEMBERS_SQL = `select id, user_id, created_at from membership where org_id = ? and active = 1`;
const GROUPS_SQL = `select gm.membership_id, gm.group_id, gm.added_at from group_member gm
	join org_group og on og.id = gm.group_id where og.org_id = ?`;
// Per person and course, from certificate_user_idx alone (a certificate repeats its
// completion's person, course and time: certificates/issue.ts writes them together).
const CERTIFIED_SQL = `select ms.user_id, ce.course_slug,
		max(${packCompletionSql('ce.completed_at', 'ce.expires_at')}),
		max(case when ce.expires_at is null or ce.expires_at > :now
			then ${packCompletionSql('ce.completed_at', 'ce.expires_at')} end)
	from membership ms join certificate ce on ce.user_id = ms.user_id
	where ms.org_id = :org and ms.active = 1
		and ((select count(*) from certificate_revocation) = 0
			or not exists (select 1 from certificate_revocation r where r.certificate_id = ce.id))
	group by ms.user_id, ce.course_slug
	-- once per person and course rather than once per certificate
	having ce.course_slug in (select value from json_each(:courses))`;
// Completions without a certificate: none are written today, so this reads nothing unless
// the two tables' counts differ (each certificate has its own completion: unique, foreign key).
const UNCERTIFIED_SQL = `select c.user_id, c.course_slug, max(c.completed_at)
	from membership ms join completion c on c.user_id = ms.user_id
	where (select count(*) from completion) <> (select count(*) from certificate)
		and ms.org_id = :org and ms.active = 1
		and +c.course_slug in (select value from json_each(:courses))
		and not exists (select 1 from certificate x where x.completion_id = c.id)
	group by ms.user_id, c.course_slug`;
const MODULES_SQL = `select mp.user_id, mp.course_slug, mp.module_slug, max(mp.completed_at)
	from membership ms join module_progress mp on mp.user_id = ms.user_id
	where ms.org_id = :org and ms.active = 1 and mp.course_slug in (select value from json_each(:courses))
	group by 1, 2, 3`;
const ACTIVITY_SQL = `select user_id, course_slug, max(at) from (
		select mp.user_id, mp.course_slug, max(mp.completed_at) at
		from membership ms join module_progress mp on mp.user_id = ms.user_id
		where ms.org_id = :org and ms.active = 1 and mp.course_slug in (select value from json_each(:courses))
		group by 1, 2
		union all
		select aa.user_id, aa.course_slug, max(aa.started_at)
		from membership ms join assessment_attempt aa on aa.user_id = ms.user_id
		where ms.org_id = :org and ms.active = 1 and aa.course_slug in (select value from json_each(:courses))
		group by 1, 2
	) group by 1, 2`;
const EXEMPT_SQL = `select user_id, series_id from exemption
	where org_id = ? and withdrawn_at is null and ends_on >= ?`;

export interface CellVisit {
	/** The requirement keys, in the order first required. */
	keys: string[];
	membershipId: number;
	userId: number;
	/** The member's groups (of this organization). */
	groupIds: number[];
	/** Per requirement key (`keys` order): the state's rank in STATES, or -1 when none applies. */
	ranks: Int8Array;
	/** Per requirement key: 1 when a completion counts for it. */
	has: Uint8Array;
}

/**
 * Visits every active member with the state of each of their requirements. One object is
 * reused for every visit: read it inside `visit`, do not keep it.
 */
export function visitCells(
	db: Queryable,
	org: OrgRef,
	now: Date,
	opts: { activity: boolean },
	visit: (v: CellVisit) => void
): { today: string; assignments: Assignment[]; keys: string[] } {
	const today = dayIn(now, org.timeZone);
	const assignments = activeAssignments(db, org.id);
	const keys = [...new Set(assignments.map(requirementKey))];
	if (!assignments.length) return { today, assignments, keys };
	const t = now.getTime();
	const members = statement(db, 'members', MEMBERS_SQL).raw().all(org.id) as [
		number,
		number,
		number
	][];
	const memberIndex = new Map<number, number>();
	for (let i = 0; i < members.length; i++) memberIndex.set(members[i]![1], i);

	// Courses required whole, numbered: facts[member × courses + course] (NaN: none).
	const courses = [...new Set(assignments.filter((a) => !a.moduleSlug).map((a) => a.courseSlug))];
	const courseIndex = new Map(courses.map((c, i) => [c, i]));
	const nc = courses.length;
	const latest = new Float64Array(members.length * nc).fill(NaN);
	const latestValid = new Float64Array(members.length * nc).fill(NaN);
	const started = new Uint8Array(opts.activity ? members.length * nc : 0);
	const bind = { org: org.id, now: t, courses: JSON.stringify(courses) };
	const at = (uid: number, course: string) => memberIndex.get(uid)! * nc + courseIndex.get(course)!;
	if (nc) {
		// Indexed loops, not destructuring: the first views run before the JIT has optimized
		// anything, and iterating each row as an array costs most then.
		const rows = statement(db, 'certified', CERTIFIED_SQL).raw().all(bind) as [
			number,
			string,
			number,
			number | null
		][];
		for (let i = 0; i < rows.length; i++) {
			const row = rows[i]!;
			const k = at(row[0], row[1]);
			latest[k] = row[2];
			if (row[3] !== null) latestValid[k] = row[3];
		}
		for (const [uid, course, when] of statement(db, 'uncertified', UNCERTIFIED_SQL)
			.raw()
			.all(bind) as [number, string, number][]) {
			const k = at(uid, course);
			const p = packCompletion(when, null, t);
			if (!(p <= latest[k]!)) latest[k] = p;
			if (!(p <= latestValid[k]!)) latestValid[k] = p;
		}
		// Read or attempted: tells "in progress" from "not started" when no completion counts.
		if (opts.activity)
			for (const [uid, course, when] of statement(db, 'activity', ACTIVITY_SQL).raw().all(bind) as [
				number,
				string,
				number | null
			][])
				if (when !== null) started[at(uid, course)] = 1;
	}
	// A module requirement is met by the module done; it never expires.
	const modules = new Map<string, number>();
	const moduleCourses = [
		...new Set(assignments.filter((a) => a.moduleSlug).map((a) => a.courseSlug))
	];
	if (moduleCourses.length)
		for (const [uid, course, module, when] of statement(db, 'modules', MODULES_SQL)
			.raw()
			.all({ ...bind, courses: JSON.stringify(moduleCourses) }) as [
			number,
			string,
			string,
			number
		][])
			modules.set(`${uid} ${course}/${module}`, packCompletion(when, null, t));
	const exempt = new Map<number, Set<number>>();
	for (const [uid, series] of statement(db, 'exempt', EXEMPT_SQL).raw().all(org.id, today) as [
		number,
		number
	][]) {
		let set = exempt.get(series);
		if (!set) exempt.set(series, (set = new Set()));
		set.add(uid);
	}
	const groupsOf = new Map<number, [number, number | null][]>();
	for (const [mid, gid, when] of statement(db, 'groups', GROUPS_SQL).raw().all(org.id) as [
		number,
		number,
		number | null
	][]) {
		let list = groupsOf.get(mid);
		if (!list) groupsOf.set(mid, (list = []));
		list.push([gid, when]);
	}

	const rules = assignments.map((a) => ({
		a,
		rule: compileRule(a, today, org.timeZone),
		key: keys.indexOf(requirementKey(a)),
		course: a.moduleSlug ? -1 : courseIndex.get(a.courseSlug)!,
		module: a.moduleSlug ? `${a.courseSlug}/${a.moduleSlug}` : null,
		since: a.since.getTime(),
		users: a.scope === 'people' ? new Set(a.userIds) : null,
		exempt: exempt.get(a.seriesId ?? a.id) ?? null
	}));
	const ranks = new Int8Array(keys.length);
	const has = new Uint8Array(keys.length);
	const noGroups: number[] = [];
	const v: CellVisit = { keys, membershipId: 0, userId: 0, groupIds: noGroups, ranks, has };
	for (let m = 0; m < members.length; m++) {
		const member = members[m]!;
		const mid = member[0];
		const uid = member[1];
		const joined = member[2];
		const groups = groupsOf.get(mid);
		ranks.fill(-1);
		for (let i = 0; i < rules.length; i++) {
			const r = rules[i]!;
			// appliesSince (roster-status.ts): from the later of the assignment and joining (the
			// group, for a group's).
			let from = joined;
			if (r.users) {
				if (!r.users.has(uid)) continue;
			} else if (r.a.scope === 'groups') {
				from = NaN;
				if (groups)
					for (let j = 0; j < groups.length; j++) {
						if (!r.a.groupIds.includes(groups[j]![0])) continue;
						const g = groups[j]![1] ?? joined;
						if (!(g >= from)) from = g;
					}
				if (from !== from) continue;
			}
			const assigned = r.since > from ? r.since : from;
			let l: number;
			let active = false;
			if (r.module !== null) l = modules.get(`${uid} ${r.module}`) ?? NaN;
			else {
				const k = m * nc + r.course;
				l = countingCompletion(latest[k]!, latestValid[k]!, assigned);
				active = opts.activity && started[k] === 1;
			}
			const rank = compiledState(
				r.rule,
				joined,
				assigned,
				l,
				active,
				r.exempt !== null && r.exempt.has(uid)
			);
			// A person under two requirements for one course: the most urgent (moreUrgent),
			// the earlier requirement on a tie.
			if (ranks[r.key] === -1 || rank < ranks[r.key]!) {
				ranks[r.key] = rank;
				has[r.key] = l === l ? 1 : 0;
			}
		}
		v.membershipId = mid;
		v.userId = uid;
		v.groupIds = groups ? groups.map((g) => g[0]) : noGroups;
		visit(v);
	}
	return { today, assignments, keys };
}

export interface StateCount {
	/** Requirement key. */
	key: string;
	/** 0: the whole organization; otherwise a group's id. */
	groupId: number;
	state: State;
	/** A completion counts for the requirement. */
	hasCompletion: boolean;
	count: number;
}

/** How many cells are in each state, per requirement, for the organization and each group. */
export function stateCounts(db: Queryable, org: OrgRef, now = new Date()) {
	// counts[((group × keys + key) × states + rank) × 2 + has]; group 0 is the organization.
	const groupIndex = new Map<number, number>();
	const groupIds: number[] = [0];
	let counts = new Float64Array(0);
	let peopleOverdue = 0;
	const ns = STATES.length;
	const rows: number[] = [0]; // the member's tallies: the organization's, then each group's
	const { today, assignments, keys } = visitCells(db, org, now, { activity: false }, (v) => {
		const nk = v.keys.length;
		rows.length = 1;
		for (let g = 0; g < v.groupIds.length; g++) {
			const id = v.groupIds[g]!;
			let gi = groupIndex.get(id);
			if (gi === undefined) {
				groupIndex.set(id, (gi = groupIds.length));
				groupIds.push(id);
			}
			rows.push(gi);
		}
		const need = groupIds.length * nk * ns * 2;
		if (counts.length < need) {
			const grown = new Float64Array(Math.max(need, counts.length * 2));
			grown.set(counts);
			counts = grown;
		}
		let overdue = false;
		for (let k = 0; k < nk; k++) {
			const rank = v.ranks[k]!;
			if (rank < 0) continue;
			if (rank === STATE_RANK.overdue) overdue = true;
			for (let r = 0; r < rows.length; r++)
				counts[((rows[r]! * nk + k) * ns + rank) * 2 + v.has[k]!]!++;
		}
		if (overdue) peopleOverdue++;
	});
	const out: StateCount[] = [];
	for (let i = 0; i < counts.length; i++) {
		if (!counts[i]) continue;
		const has = i % 2;
		const rank = Math.floor(i / 2) % ns;
		const k = Math.floor(i / 2 / ns) % keys.length;
		const gi = Math.floor(i / 2 / ns / keys.length);
		out.push({
			key: keys[k]!,
			groupId: groupIds[gi]!,
			state: STATES[rank]!,
			hasCompletion: has === 1,
			count: counts[i]!
		});
	}
	return { today, assignments, keys, counts: out, peopleOverdue };
}

/** Membership ids with a cell in `state` (for requirement `key`, or any). */
export function membersInState(
	db: Queryable,
	org: OrgRef,
	state: State,
	key: string | null,
	now = new Date()
): Set<number> {
	const out = new Set<number>();
	const want = STATE_RANK[state];
	visitCells(db, org, now, { activity: true }, (v) => {
		const k = key === null ? -1 : v.keys.indexOf(key);
		if (key === null ? v.ranks.includes(want) : k >= 0 && v.ranks[k] === want)
			out.add(v.membershipId);
	});
	return out;
}

/** Every cell, for tests that compare with `rosterStatus`: "userId key" → state. */
export function cellStates(db: Queryable, org: OrgRef, now = new Date()) {
	const out = new Map<string, { state: State; hasCompletion: boolean }>();
	visitCells(db, org, now, { activity: true }, (v) => {
		for (let k = 0; k < v.keys.length; k++)
			if (v.ranks[k]! >= 0)
				out.set(`${v.userId} ${v.keys[k]}`, {
					state: STATES[v.ranks[k]!]!,
					hasCompletion: v.has[k] === 1
				});
	});
	return out;
}
