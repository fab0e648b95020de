import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { ROLES, type Role, type RosterRowData } from '../db/schema';
import { normalizeEmail } from '../users';
import { hasControlCharacters, visibleControls } from '../forms';

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

/** The largest roster file accepted. */
export const MAX_BYTES = 4 * 1024 * 1024;

export type DecodedRoster = { text: string; encoding: 'utf-8' | 'utf-16' | 'windows-1252' };

/**
 * A roster file's text. UTF-8 (with or without a byte-order mark) is read as is; UTF-16 with a
 * byte-order mark too; anything that is not valid UTF-8 is read as Windows-1252, which is what
 * spreadsheet programs on Windows save as "CSV" (a superset of Latin-1), rather than garbled
 * into replacement characters. The caller tells the person when that happened.
 */
export function decodeRoster(bytes: Uint8Array): DecodedRoster {
	if (bytes[0] === 0xff && bytes[1] === 0xfe)
		return { text: new TextDecoder('utf-16le').decode(bytes), encoding: 'utf-16' };
	if (bytes[0] === 0xfe && bytes[1] === 0xff)
		return { text: new TextDecoder('utf-16be').decode(bytes), encoding: 'utf-16' };
	try {
		return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
	} catch {
		return { text: windows1252(bytes), encoding: 'windows-1252' };
	}
}

// Windows-1252's bytes 0x80-0x9F (curly quotes, dashes, the euro sign). Node 20's TextDecoder
// reads that label as Latin-1, which turns them into control characters; the five bytes the
// code page leaves undefined stay control characters (and are refused in names).
const CP1252_HIGH = [
	0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152,
	0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122,
	0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178
];

function windows1252(bytes: Uint8Array): string {
	return new TextDecoder('windows-1252')
		.decode(bytes)
		.replace(/[\u0080-\u009f]/g, (c) => String.fromCharCode(CP1252_HIGH[c.charCodeAt(0) - 0x80]!));
}

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
		else if (hasControlCharacters(name))
			problems.push('The name contains control characters (such as NUL or a tab): remove them.');
		if (hasControlCharacters(get('employeeId')))
			problems.push('The employee number contains control characters: remove them.');
		if (!email) problems.push('The email is missing.');
		else if (!isEmail(email))
			problems.push(`"${visibleControls(email.slice(0, 80))}" is not an email address.`);
		else if (seen.has(email))
			problems.push(`Duplicate: the same email is on line ${seen.get(email)}.`);
		if (email && !seen.has(email)) seen.set(email, line);
		if (!(ROLES as readonly string[]).includes(roleText))
			problems.push(
				`Unknown role "${visibleControls(roleText.slice(0, 40))}": use learner, supervisor or admin.`
			);
		// A control character in a group name matches no group: named below as an unknown one.
		const unknown = groupNames.filter((g) => !groups.has(g.toLowerCase()));
		if (unknown.length)
			problems.push(
				`Unknown group${unknown.length > 1 ? 's' : ''}: ${visibleControls(unknown.slice(0, 5).join(', '))}.`
			);
		const employeeId = visibleControls(get('employeeId').slice(0, 40)) || null;
		return {
			line,
			// Shown in the preview: control characters are made visible, never stored as such.
			name: visibleControls(name.slice(0, 120)),
			email: visibleControls(email.slice(0, 254)),
			employeeId,
			groups: groupNames.map((g) => groups.get(g.toLowerCase()) ?? visibleControls(g)),
			role: (ROLES as readonly string[]).includes(roleText) ? (roleText as Role) : 'learner',
			problems
		};
	});
	return { ok: true, rows };
}
