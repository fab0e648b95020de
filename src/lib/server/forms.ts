import { fail, type ActionFailure } from '@sveltejs/kit';
import { z } from 'zod';

export type FieldErrors = Record<string, string>;
export type FormFailure = ActionFailure<{ errors: FieldErrors; values: Record<string, string> }>;

/**
 * Reads a form post and validates it with a zod object schema. Anything that is not a short
 * text field (a file, a missing field, 10 KB of text) becomes a message next to its field and
 * a 400, never an exception. `keep` names the fields safe to send back to refill the form
 * (never passwords).
 */
export async function parseForm<S extends z.ZodObject>(
	request: Request,
	schema: S,
	keep: string[] = []
): Promise<{ ok: true; data: z.infer<S> } | { ok: false; failure: FormFailure }> {
	let form: FormData;
	try {
		form = await request.formData();
	} catch {
		return {
			ok: false,
			failure: fail(400, {
				errors: { form: 'The form could not be read. Please try again.' },
				values: {}
			})
		};
	}
	const raw: Record<string, unknown> = {};
	for (const key of Object.keys(schema.shape)) {
		const all = form.getAll(key);
		raw[key] = all.length > 1 ? all : all[0];
	}
	const values: Record<string, string> = {};
	for (const key of keep) {
		const v = raw[key];
		if (typeof v === 'string') values[key] = v.slice(0, 300);
	}
	const parsed = schema.safeParse(raw);
	if (parsed.success) return { ok: true, data: parsed.data };
	const errors: FieldErrors = {};
	for (const issue of parsed.error.issues) {
		const field = String(issue.path[0] ?? 'form');
		errors[field] ??= issue.message;
	}
	return { ok: false, failure: fail(400, { errors, values }) };
}

// C0 controls, DEL and C1 controls: never part of a name, a code or an address (a NUL stored
// in a name breaks exports and other systems; a tab or line break makes a name two).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export function hasControlCharacters(value: string): boolean {
	return CONTROL.test(value);
}

/** The text with each control character shown as � (for previews and messages). */
export function visibleControls(value: string): string {
	return value.replace(new RegExp(CONTROL.source, 'g'), '\uFFFD');
}

export function controlCharactersMessage(label: string): string {
	return `${label} must not contain control characters (such as tabs, line breaks or NUL).`;
}

/**
 * A required single-line text field with a length limit and friendly messages; control
 * characters are refused.
 */
export function text(label: string, max: number, min = 1) {
	return z
		.string({
			error: (i) => (i.input === undefined ? `${label} is required.` : `${label} must be text.`)
		})
		.trim()
		.min(min, min === 1 ? `${label} is required.` : `${label} must be at least ${min} characters.`)
		.max(max, `${label} must be at most ${max} characters.`)
		.refine((v) => !hasControlCharacters(v), controlCharactersMessage(label));
}

/** An optional single-line text field (empty is fine); control characters are refused. */
export function optionalText(label: string, max: number) {
	return z
		.string()
		.trim()
		.max(max, `At most ${max} characters.`)
		.refine((v) => !hasControlCharacters(v), controlCharactersMessage(label))
		.optional();
}

/** A password: required, not trimmed (spaces count), with an upper bound against abuse. */
export function password(label = 'Password', max = 256) {
	return z
		.string({
			error: (i) => (i.input === undefined ? `${label} is required.` : `${label} must be text.`)
		})
		.min(1, `${label} is required.`)
		.max(max, `${label} must be at most ${max} characters.`);
}

export function email(label = 'Email') {
	return text(label, 254).pipe(z.email({ error: 'Enter an email address like name@example.org.' }));
}

// Browsers drop some control characters (a tab, a newline) from URLs, so `/\t/evil.example`
// would become `//evil.example`; none belongs in a path we send people to.
const PLACEHOLDER_ORIGIN = 'http://muster.invalid';

/**
 * Only a same-origin path may be a redirect target after sign-in: one leading `/` with no
 * second `/` or `\` after it, and no control characters before or after percent-decoding.
 * Anything else, or anything that does not resolve to this origin, becomes `/`. The answer is
 * re-serialized by the URL parser, so it is always plain ASCII (safe in a Location header).
 */
export function safeNext(next: string | null | undefined): string {
	if (typeof next !== 'string' || next.length > 2000) return '/';
	if (next[0] !== '/' || next[1] === '/' || next[1] === '\\') return '/';
	let decoded: string;
	try {
		decoded = decodeURIComponent(next);
	} catch {
		return '/';
	}
	if (CONTROL.test(next) || CONTROL.test(decoded)) return '/';
	if (decoded[1] === '/' || decoded[1] === '\\') return '/';
	let url: URL;
	try {
		url = new URL(next, PLACEHOLDER_ORIGIN);
	} catch {
		return '/';
	}
	if (url.origin !== PLACEHOLDER_ORIGIN) return '/';
	const path = `${url.pathname}${url.search}${url.hash}`;
	// `/a/..//evil` resolves to `//evil`: check what we would actually send.
	if (!path.startsWith('/') || path[1] === '/' || path[1] === '\\') return '/';
	return path;
}

/** A failed form with messages by field ('form' for the whole form), typed like parseForm's. */
export function failForm(
	status: number,
	errors: FieldErrors,
	values: Record<string, string> = {}
): FormFailure {
	return fail(status, { errors, values });
}

/** Checkbox ids (zero, one or many values of one name) as positive whole numbers. */
export function idList(message = 'Choose from the list.') {
	return z
		.union([z.string(), z.array(z.string())])
		.optional()
		.transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).map((s) => Number(s)))
		.refine((ids) => ids.length <= 50 && ids.every((n) => Number.isInteger(n) && n > 0), {
			message
		});
}
