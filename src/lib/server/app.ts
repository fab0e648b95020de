import { env } from '$env/dynamic/private';
import { readConfig } from './config';
import { createContext, type AppContext } from './context';

let context: AppContext | undefined;

/** Called once by the `init` hook, before the first request; never during the build. */
export async function startApp(): Promise<AppContext> {
	context ??= await createContext(readConfig(env));
	return context;
}

/** The running server's database, settings and mailer. */
export function ctx(): AppContext {
	if (!context) throw new Error('Muster has not started: the init hook did not run');
	return context;
}

export function stopApp(): void {
	context?.close();
	context = undefined;
}
