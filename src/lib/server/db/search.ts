import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type Database from 'better-sqlite3';

/**
 * Text as search compares it: lower case, accents removed ("Ramírez" → "ramirez"), so a search
 * for "ramirez" finds Ramírez. SQLite's own lower() folds ASCII only.
 */
export function fold(text: string): string {
	return text
		.normalize('NFKD')
		.replace(/\p{M}+/gu, '')
		.toLowerCase();
}

/**
 * Registers `fold(text)` on a connection (openDatabase does this for every connection), so
 * queries can compare folded text without a stored copy that would have to be kept in sync.
 */
export function registerSearchFunctions(client: Database.Database): void {
	client.function('fold', { deterministic: true }, (value: unknown) =>
		typeof value === 'string' ? fold(value) : value
	);
}

/** A LIKE pattern matching `query` anywhere, folded, with % and _ taken literally. */
export function containsPattern(query: string): string {
	return `%${fold(query.trim()).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** `column` contains `query`, ignoring case and accents (use with containsPattern's rules). */
export function foldedContains(column: SQLWrapper, query: string): SQL {
	return sql`fold(${column}) like ${containsPattern(query)} escape '\\'`;
}
