import { randomInt } from 'node:crypto';

/** Letters and digits that cannot be mistaken for one another: no 0/O, no 1/I/L. */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const CODE_LENGTH = 6;

/** A fresh join code, drawn with the operating system's cryptographic random source. */
export function newJoinCode(): string {
	let code = '';
	for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
	return code;
}

/**
 * What an officer typed, as a code: case and spaces (and dashes) do not matter. Null when it
 * cannot be a code at all.
 */
export function normalizeCode(input: string): string | null {
	const code = input.replace(/[\s-]+/g, '').toUpperCase();
	if (code.length !== CODE_LENGTH) return null;
	for (const c of code) if (!CODE_ALPHABET.includes(c)) return null;
	return code;
}

/** "K7P 4QX": easier to read aloud and copy from across a room. */
export function displayCode(code: string): string {
	return `${code.slice(0, 3)} ${code.slice(3)}`;
}
