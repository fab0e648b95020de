/** Every setting Muster reads from its environment, with its default. The README lists them. */
export interface Config {
	databaseUrl: string;
	demo: boolean;
	instanceName: string;
	/** Used in emailed links when no request is at hand (for example the CLI). */
	origin: string | undefined;
	smtpUrl: string | undefined;
	mailFrom: string;
	session: {
		idleMinutes: number;
		maxHours: number;
		staffIdleMinutes: number;
		staffMaxHours: number;
	};
	signIn: {
		maxFailures: number;
		windowMinutes: number;
		lockMinutes: number;
		maxFailuresPerAddress: number;
	};
	resetLinkMinutes: number;
	/** Public certificate look-ups allowed per client address per minute. */
	verifyPerMinute: number;
	backup: BackupSettings;
	/** When the server sends reminders of required training (cron pattern); undefined: never. */
	remindersCron: string | undefined;
}

export interface BackupSettings {
	/** The folder backups are written to (`npm run backup` and the schedule). */
	dir: string;
	/** How many backups to keep; older ones are removed after each new one. */
	keep: number;
	/** Hours between scheduled backups while the server runs; undefined: no schedule. */
	intervalHours: number | undefined;
}

type Env = Record<string, string | undefined>;

function number(env: Env, name: string, fallback: number): number {
	const raw = env[name];
	if (raw === undefined || raw.trim() === '') return fallback;
	const value = Number(raw);
	if (!Number.isFinite(value) || value <= 0) {
		throw new Error(`${name} must be a positive number, got "${raw}"`);
	}
	return value;
}

export function readConfig(env: Env): Config {
	return {
		databaseUrl: env.DATABASE_URL?.trim() || 'data/muster.db',
		demo: env.MUSTER_DEMO !== '0',
		instanceName: env.MUSTER_INSTANCE_NAME?.trim() || 'Muster',
		origin: env.ORIGIN?.trim() || undefined,
		smtpUrl: env.SMTP_URL?.trim() || undefined,
		mailFrom: env.MAIL_FROM?.trim() || 'Muster <no-reply@muster.invalid>',
		session: {
			idleMinutes: number(env, 'SESSION_IDLE_MINUTES', 7 * 24 * 60),
			maxHours: number(env, 'SESSION_MAX_HOURS', 30 * 24),
			staffIdleMinutes: number(env, 'STAFF_SESSION_IDLE_MINUTES', 30),
			staffMaxHours: number(env, 'STAFF_SESSION_MAX_HOURS', 12)
		},
		signIn: {
			maxFailures: number(env, 'SIGNIN_MAX_FAILURES', 5),
			windowMinutes: number(env, 'SIGNIN_WINDOW_MINUTES', 15),
			lockMinutes: number(env, 'SIGNIN_LOCK_MINUTES', 15),
			maxFailuresPerAddress: number(env, 'SIGNIN_MAX_FAILURES_PER_ADDRESS', 50)
		},
		resetLinkMinutes: number(env, 'RESET_LINK_MINUTES', 60),
		verifyPerMinute: number(env, 'VERIFY_PER_MINUTE', 60),
		backup: {
			dir: env.BACKUP_DIR?.trim() || 'backups',
			keep: Math.max(1, Math.floor(number(env, 'BACKUP_KEEP', 14))),
			intervalHours: env.BACKUP_INTERVAL_HOURS?.trim()
				? number(env, 'BACKUP_INTERVAL_HOURS', 24)
				: undefined
		},
		remindersCron:
			env.REMINDERS_CRON?.trim() === 'off' ? undefined : env.REMINDERS_CRON?.trim() || '15 * * * *'
	};
}
