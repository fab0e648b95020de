/** Every setting Muster reads from its environment, with its default. The README lists them. */
export interface Config {
	databaseUrl: string;
	demo: boolean;
	instanceName: string;
	/**
	 * The public address emailed links are built from (MUSTER_ORIGIN, else ORIGIN); never a
	 * request's headers. Unset: emails that carry a link are not sent (see public-origin.ts).
	 */
	origin: string | undefined;
	/** PROTOCOL_HEADER or HOST_HEADER is set: the request's own origin comes from headers. */
	originFromHeaders: boolean;
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
		maxFailuresPerAccount: number;
		maxFailuresPerAddress: number;
		/** The in-memory token bucket per address in front of sign-in and reset posts. */
		bucketSize: number;
		bucketPerMinute: number;
	};
	reset: {
		/** Reset requests per email, and per address, within an hour. */
		perEmailPerHour: number;
		perAddressPerHour: number;
	};
	resetLinkMinutes: number;
	/** Public certificate look-ups allowed per client address per minute. */
	verifyPerMinute: number;
	backup: BackupSettings;
	/** The folder of the instance's Ed25519 signing keys (outside the database). */
	keysDir: string;
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

/** An `http(s)://host[:port]` origin, or an error naming the variable. */
function origin(env: Env, name: string): string | undefined {
	const raw = env[name]?.trim();
	if (!raw) return undefined;
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		throw new Error(`${name} must be an address like https://muster.example.org, got "${raw}"`);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new Error(`${name} must start with https:// or http://, got "${raw}"`);
	}
	return url.origin;
}

export function readConfig(env: Env): Config {
	return {
		databaseUrl: env.DATABASE_URL?.trim() || 'data/muster.db',
		demo: env.MUSTER_DEMO !== '0',
		instanceName: env.MUSTER_INSTANCE_NAME?.trim() || 'Muster',
		origin: origin(env, 'MUSTER_ORIGIN') ?? origin(env, 'ORIGIN'),
		originFromHeaders: Boolean(env.PROTOCOL_HEADER?.trim() || env.HOST_HEADER?.trim()),
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
			maxFailuresPerAccount: number(env, 'SIGNIN_MAX_FAILURES_PER_ACCOUNT', 50),
			maxFailuresPerAddress: number(env, 'SIGNIN_MAX_FAILURES_PER_ADDRESS', 50),
			bucketSize: number(env, 'SIGNIN_BUCKET_SIZE', 300),
			bucketPerMinute: number(env, 'SIGNIN_BUCKET_PER_MINUTE', 120)
		},
		reset: {
			perEmailPerHour: number(env, 'RESET_PER_EMAIL_PER_HOUR', 3),
			perAddressPerHour: number(env, 'RESET_PER_ADDRESS_PER_HOUR', 30)
		},
		resetLinkMinutes: number(env, 'RESET_LINK_MINUTES', 60),
		verifyPerMinute: number(env, 'VERIFY_PER_MINUTE', 60),
		keysDir: env.MUSTER_KEYS_DIR?.trim() || 'data/keys',
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
