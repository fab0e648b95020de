import type { ParamMatcher } from '@sveltejs/kit';

/** A database id in a URL: digits only, so anything else is a plain 404. */
export const match: ParamMatcher = (param) => /^[1-9]\d{0,15}$/.test(param);
