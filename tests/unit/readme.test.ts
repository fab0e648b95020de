import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// An operator configures Muster from the README alone: every variable the server or its
// scripts read must be in the Configuration table, with its default.

function sources(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return sources(path);
		return /\.(ts|js|svelte)$/.test(name) ? [path] : [];
	});
}

function variablesRead(): Set<string> {
	const found = new Set<string>();
	const patterns = [
		/\benv\.([A-Z][A-Z0-9_]+)/g, // process.env.X, env.X
		/\benv\[['"]([A-Z][A-Z0-9_]+)['"]\]/g,
		/\(env, '([A-Z][A-Z0-9_]+)'/g // the config readers: number(env, 'X', 60)
	];
	for (const file of [...sources('src'), ...sources('scripts')]) {
		const text = readFileSync(file, 'utf8');
		for (const pattern of patterns) for (const m of text.matchAll(pattern)) found.add(m[1]!);
	}
	return found;
}

describe('the README', () => {
	it('lists every environment variable Muster reads, with a default', () => {
		const readme = readFileSync('README.md', 'utf8');
		const table = readme.slice(readme.indexOf('## Configuration'));
		const rows = table.split('\n').filter((line) => line.startsWith('| `'));
		const read = [...variablesRead()];
		expect(read.length).toBeGreaterThan(15);
		const missing = read.filter((name) => !rows.some((row) => row.includes(`\`${name}\``)));
		expect(missing, 'variables missing from the Configuration table').toEqual([]);
		for (const row of rows) {
			const defaultCell = row.split('|')[2]!.trim();
			expect(defaultCell, row).not.toBe('');
		}
	});
});
