// autocannon ships no types and @types/autocannon is not installed: the little the benchmark
// uses, declared by hand from autocannon 9's lib/run.js and lib/requestIterator.js.
declare module 'autocannon' {
	import type { EventEmitter } from 'node:events';

	namespace autocannon {
		interface Request {
			method?: string;
			path?: string;
			headers?: Record<string, string>;
			body?: string | Buffer;
		}

		interface RequestSpec extends Request {
			/** Called each time the request is built, once per request sent. */
			setupRequest?: (req: Request) => Request | null;
		}

		interface Options extends Request {
			url: string;
			connections?: number;
			/** Seconds. */
			duration?: number;
			/** Stop after this many requests instead of after `duration`. */
			amount?: number;
			/** Requests per second across all connections; 0 for as fast as the server answers. */
			overallRate?: number;
			timeout?: number;
			requests?: RequestSpec[];
		}

		interface Result {
			/** Seconds from the first request to the end. */
			duration: number;
			errors: number;
			timeouts: number;
			statusCodeStats: Record<string, { count: number }>;
		}

		interface Instance extends EventEmitter {
			on(
				event: 'response',
				listener: (client: unknown, status: number, bytes: number, responseTimeMs: number) => void
			): this;
			stop(): void;
		}
	}

	function autocannon(
		opts: autocannon.Options,
		cb: (err: Error | null, result: autocannon.Result) => void
	): autocannon.Instance;
	export = autocannon;
}
