import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { ROLES, type Role, type RosterRowData } from '../db/schema';
import { normalizeEmail } from '../users';

// Reading a roster file: no database here, so a preview can name every problem before anything
// is written (roster.ts saves the preview and runs the import).

export const MAX_ROWS = 10_000;
const HEADERS: Record<string, keyof Omit<RosterRowData, 'line' | 'problems'>> = {
	name: 'name',
	'full name': 'name',
	email: 'email',
	'email address': 'email',
	'employee id': 'employeeId',
	employee_id: 'employeeId',
	'employee number': 'employeeId',
	badge: 'employeeId',
	'badge number': 'employeeId',
	groups: 'groups',
	group: 'groups',
	role: 'role'
};
const emailSchema = z.email();
const isEmail = (s: string) => s.length <= 254 && emailSchema.safeParse(s).success;

export type ParsedRoster = { ok: true; rows: RosterRowData[] } | { ok: false; message: string };

/**
 * Reads a roster CSV (name, email, employee or badge number, groups separated by ";", role) and
 * names every row's problems: a bad email, a duplicate, an unknown group or role, a missing name.
 */
export function parseRoster(text: string, knownGroups: string[]): ParsedRoster {
	let records: string[][];
	try {
		records = parse(text.replace(/^\uFEFF/, ''), {
			relax_column_count: true,
			skip_empty_lines: true,
			trim: true
		});
	} catch (e) {
		return {
			ok: false,
			message: `The file is not a readable CSV: ${(e as Error).message.split('\n')[0]}`
		};
	}
	const [header, ...body] = records;
	const columns = (header ?? []).map((h) => HEADERS[h.toLowerCase()]);
	if (!columns.includes('name') || !columns.includes('email')) {
		return {
			ok: false,
			message: 'The first line must name the columns, with at least "name" and "email".'
		};
	}
	if (body.length === 0) return { ok: false, message: 'The file has no rows under its header.' };
	if (body.length > MAX_ROWS)
		return {
			ok: false,
			message: `The file has ${body.length} rows; import at most ${MAX_ROWS} at a time.`
		};
	const groups = new Map(knownGroups.map((g) => [g.toLowerCase(), g]));
	const seen = new Map<string, number>();
	const rows = body.map((cells, i): RosterRowData => {
		const get = (key: string) => cells[columns.indexOf(key as never)]?.trim() ?? '';
		const line = i + 2;
		const problems: string[] = [];
		const name = get('name');
		const email = normalizeEmail(get('email'));
		const roleText = get('role').toLowerCase() || 'learner';
		const groupNames = get('groups')
			.split(/[;|]/)
			.map((g) => g.trim())
			.filter(Boolean);
		if (!name) problems.push('The name is missing.');
		else if (name.length > 120) problems.push('The name is longer than 120 characters.');
		if (!email) problems.push('The email is missing.');
		else if (!isEmail(email)) problems.push(`"${email.slice(0, 80)}" is not an email address.`);
		else if (seen.has(email))
			problems.push(`Duplicate: the same email is on line ${seen.get(email)}.`);
		if (email && !seen.has(email)) seen.set(email, line);
		if (!(ROLES as readonly string[]).includes(roleText))
			problems.push(`Unknown role "${roleText.slice(0, 40)}": use learner, supervisor or admin.`);
		const unknown = groupNames.filter((g) => !groups.has(g.toLowerCase()));
		if (unknown.length)
			problems.push(
				`Unknown group${unknown.length > 1 ? 's' : ''}: ${unknown.slice(0, 5).join(', ')}.`
			);
		const employeeId = get('employeeId').slice(0, 40) || null;
		return {
			line,
			name: name.slice(0, 120),
			email: email.slice(0, 254),
			employeeId,
			groups: groupNames.map((g) => groups.get(g.toLowerCase()) ?? g),
			role: (ROLES as readonly string[]).includes(roleText) ? (roleText as Role) : 'learner',
			problems
		};
	});
	return { ok: true, rows };
}
