// The JavaScript a browser downloads for a page of the build, gzipped: every module the page's
// HTML preloads or imports, plus (for a lesson) the lesson chunk its universal load imports.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const CLIENT = 'build/client';
const MANIFEST = '.svelte-kit/output/client/.vite/manifest.json';

interface ManifestChunk {
	file: string;
	imports?: string[];
}

export interface PageScripts {
	files: number;
	raw: number;
	gzip: number;
}

/** The .gz adapter-node precompressed is what the server sends; gzip it here if missing. */
function sizes(file: string): { raw: number; gzip: number } {
	const path = join(CLIENT, file);
	const raw = readFileSync(path);
	const gz = existsSync(`${path}.gz`) ? readFileSync(`${path}.gz`) : gzipSync(raw, { level: 9 });
	return { raw: raw.length, gzip: gz.length };
}

/** Script URLs in the server-rendered HTML: modulepreload links and the start-up imports. */
function scriptsIn(html: string, pageUrl: string): Set<string> {
	const found = new Set<string>();
	const patterns = [
		/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g,
		/<link[^>]+href="([^"]+\.js)"[^>]+rel="modulepreload"/g,
		/import\("([^"]+\.js)"\)/g
	];
	for (const re of patterns) {
		for (const m of html.matchAll(re)) found.add(new URL(m[1]!, pageUrl).pathname.slice(1));
	}
	return found;
}

/** A manifest entry's file and every file it imports statically. */
function withImports(key: string, into: Set<string>): void {
	const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, ManifestChunk>;
	const visit = (k: string) => {
		const chunk = manifest[k];
		if (!chunk || into.has(chunk.file)) return;
		into.add(chunk.file);
		for (const i of chunk.imports ?? []) visit(i);
	};
	visit(key);
}

export function pageScripts(html: string, pageUrl: string, lessonFile?: string): PageScripts {
	const files = scriptsIn(html, pageUrl);
	if (lessonFile) withImports(lessonFile, files);
	let raw = 0;
	let gzip = 0;
	for (const f of files) {
		const s = sizes(f);
		raw += s.raw;
		gzip += s.gzip;
	}
	return { files: files.size, raw, gzip };
}
