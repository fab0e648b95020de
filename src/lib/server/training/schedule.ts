import { Cron } from 'croner';
import type { AppContext } from '../context';
import { runReminders, type ReminderOptions } from './reminders';

/**
 * Runs the reminder job inside the server on a cron pattern (croner; `protect` skips a tick
 * while the previous run is still sending). Returns a stop function that waits for a run in
 * flight, so the database closes after it.
 */
export function scheduleReminders(
	app: Pick<AppContext, 'db' | 'mailer'>,
	pattern: string | undefined,
	opts: ReminderOptions
): () => Promise<void> {
	if (!pattern) return async () => {};
	let running: Promise<void> | null = null;
	const job = new Cron(pattern, { protect: true, unref: true }, () => {
		running = runReminders(app.db, app.mailer, opts)
			.then(
				(r) => {
					if (r.claimed) console.info(`Reminders: ${r.sent} sent, ${r.failed} failed`);
				},
				(error: unknown) => console.error('Reminder run failed:', error)
			)
			.finally(() => (running = null));
		return running;
	});
	return async () => {
		job.stop();
		await running;
	};
}
