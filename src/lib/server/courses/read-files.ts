import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Reads every course file under `root/courses` for buildCatalog (used by the build and the CLI). */
export function readCourseFiles(root: string): Map<string, string> {
	const files = new Map<string, string>();
	const base = join(root, 'courses');
	for (const dir of readdirSync(base)) {
		const full = join(base, dir);
		if (!statSync(full).isDirectory()) continue;
		for (const name of readdirSync(full)) {
			if (!/\.(md|yaml)$/.test(name)) continue;
			files.set(
				relative(root, join(full, name)).split(sep).join('/'),
				readFileSync(join(full, name), 'utf8')
			);
		}
	}
	return files;
}
