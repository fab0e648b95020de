// What a failed form action sent back (see failForm on the server): messages by field, and the
// safe values to refill the form with. Pages read them through these two helpers.
type Bag = Record<string, string | undefined>;

function pick(form: unknown, key: 'errors' | 'values'): Bag {
	if (!form || typeof form !== 'object' || !(key in form)) return {};
	return ((form as Record<string, unknown>)[key] as Bag | undefined) ?? {};
}

export const formErrors = (form: unknown): Bag => pick(form, 'errors');
export const formValues = (form: unknown): Bag => pick(form, 'values');

/** The page title, with "Error: " in front when the form failed (GOV.UK pattern). */
export function errorTitle(form: unknown, title: string): string {
	const errors = Object.values(formErrors(form)).filter(Boolean);
	return errors.length ? `Error: ${title}` : title;
}
