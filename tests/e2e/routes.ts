import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildCatalog } from '../../src/lib/server/courses/catalog';
import { readCourseFiles } from '../../src/lib/server/courses/read-files';

// Every page of the app, found by walking src/routes (not listed by hand), with a concrete
// address to request: a route added later is covered by the tests that use this.

export interface PageRoute {
	/** The route id, e.g. `/(app)/orgs/[org]/members/[id=id]`. */
	id: string;
	/** An address that reaches it, with demo values for its parameters. */
	path: string;
	/** The named actions of its +page.server.ts (`default` for a default action). */
	actions: string[];
}

const catalog = buildCatalog(readCourseFiles(process.cwd()));
const course = catalog.bySlug.get('roll-call')!;

const SAMPLE: Record<string, string> = {
	'[org]': 'riverside-pd',
	'[id=id]': '1',
	'[attempt=id]': '1',
	'[course]': course.slug,
	'[module]': course.modules[0]!.slug,
	'[token]': 'notarealtoken',
	'[code]': 'NOTAREALCODE'
};

function concrete(id: string): string {
	const parts = id
		.split('/')
		.filter((p) => p && !/^\(.*\)$/.test(p))
		.map((p) => {
			const value = SAMPLE[p];
			if (p.startsWith('[') && !value) throw new Error(`no sample value for ${p} in ${id}`);
			return value ?? p;
		});
	return '/' + parts.join('/');
}

export function pageRoutes(root = 'src/routes'): PageRoute[] {
	const found: PageRoute[] = [];
	const walk = (dir: string) => {
		const names = readdirSync(dir);
		for (const name of names) {
			const full = join(dir, name);
			if (statSync(full).isDirectory()) walk(full);
		}
		if (!names.includes('+page.svelte')) return;
		const id = '/' + relative(root, dir).split('/').filter(Boolean).join('/');
		const server = join(dir, '+page.server.ts');
		const actions: string[] = [];
		if (names.includes('+page.server.ts')) {
			const block = readFileSync(server, 'utf8').split('export const actions')[1];
			if (block) for (const m of block.matchAll(/^\t(\w+):/gm)) actions.push(m[1]!);
		}
		found.push({ id, path: concrete(id), actions });
	};
	walk(root);
	return found;
}
