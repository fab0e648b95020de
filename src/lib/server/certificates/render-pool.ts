import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { RenderTask } from './render-task';

// Certificate and transcript PDFs are rendered in a small pool of worker threads, so that a
// burst of fresh renders (a few milliseconds of CPU each) never holds up page requests on the
// event loop. PDF_THREADS sets the pool's size; 0 renders in this thread instead.

type TaskModule = typeof import('./render-task');

/** The number of worker threads: PDF_THREADS, else one per core beyond the first, at most 2. */
export function renderThreads(env: Record<string, string | undefined> = process.env): number {
	const raw = env.PDF_THREADS?.trim();
	if (raw) {
		const n = Number(raw);
		if (!Number.isInteger(n) || n < 0 || n > 64) {
			throw new Error(`PDF_THREADS must be a whole number from 0 to 64 (got "${raw}")`);
		}
		return n;
	}
	return Math.max(1, Math.min(2, availableParallelism() - 1));
}

let taskModule: Promise<TaskModule> | undefined;
let pool: Piscina<RenderTask, Uint8Array> | undefined;
let closing: Promise<void> | undefined;

/** The worker's entry: the compiled chunk in the build, a tsx bootstrap on the sources. */
function workerFile(moduleUrl: string): string {
	const url = moduleUrl.endsWith('.ts') ? new URL('./render-worker-dev.js', moduleUrl) : moduleUrl;
	return fileURLToPath(url);
}

function startPool(mod: TaskModule, threads: number): Piscina<RenderTask, Uint8Array> {
	return new Piscina<RenderTask, Uint8Array>({
		filename: workerFile(mod.taskModuleUrl),
		minThreads: threads,
		maxThreads: threads,
		// Threads stay up: starting one costs more than many renders.
		idleTimeout: Infinity,
		// Renders are queued in memory; their requests wait for them.
		maxQueue: Infinity
	});
}

async function ready(): Promise<{ mod: TaskModule; pool?: Piscina<RenderTask, Uint8Array> }> {
	taskModule ??= import('./render-task');
	const mod = await taskModule;
	const threads = renderThreads();
	if (threads > 0) pool ??= startPool(mod, threads);
	return { mod, pool };
}

/**
 * Starts the threads at server start: each loads the renderer and reads the fonts (a second or
 * more), which the first download would otherwise wait for. Rendering does not wait for this.
 */
export function startRenderPool(): void {
	renderThreads(); // a wrong PDF_THREADS stops the start, not the first download
	ready().catch((e) => console.error('The PDF worker threads did not start:', e));
}

/** Renders a PDF in a worker thread (or in this thread with PDF_THREADS=0). */
export async function renderPdf(task: RenderTask): Promise<Uint8Array> {
	if (closing) throw new Error('the PDF renderer is shut down');
	const { mod, pool } = await ready();
	return pool ? pool.run(task) : mod.default(task);
}

/** Renders already queued finish first; then the threads stop. */
export function closeRenderPool(): Promise<void> {
	closing ??= pool ? pool.close() : Promise.resolve();
	return closing;
}

/** Tests only: a fresh pool after a close. */
export async function resetRenderPool(): Promise<void> {
	await closeRenderPool();
	pool = undefined;
	closing = undefined;
}
