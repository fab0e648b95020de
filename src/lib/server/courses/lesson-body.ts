import type { Problem } from './catalog.js';
import { AGENCY_FIELDS } from '../../agency.js';

// What a lesson body may hold: the compiler, the page and the learner each trip over something
// else. The catalog calls this for every module file.

/** The building blocks a lesson may use, and the attributes each one needs. */
export const CONTENT_COMPONENTS: Record<string, { required: string[]; allowed: string[] }> = {
	Agency: { required: ['field'], allowed: ['field'] },
	Callout: { required: ['kind', 'title'], allowed: ['kind', 'title'] },
	Hotline: { required: ['name', 'phone'], allowed: ['name', 'phone', 'text', 'hours', 'note'] },
	Indicators: { required: ['title'], allowed: ['title'] },
	WhatWouldYouDo: { required: ['question'], allowed: ['question'] }
};

const CALLOUT_KINDS = ['note', 'important', 'warning'];

/** Checks a lesson body for what the compiler or the learner would trip over. */
export function checkBody(file: string, body: string, firstLine: number): Problem[] {
	const problems: Problem[] = [];
	if (body.replace(/\s+/g, '').length < 40) {
		problems.push({ file, field: '(body)', message: 'the lesson text is empty' });
	}
	body.split('\n').forEach((text, i) => {
		const field = `line ${firstLine + i}`;
		if (/[{}]/.test(text))
			problems.push({
				file,
				field,
				message: 'curly braces { } are not allowed in course text; use ( ) instead'
			});
		if (/<\s*(script|style)\b/i.test(text))
			problems.push({
				file,
				field,
				message: '<script> and <style> are not allowed in course text'
			});
		if (/^#\s/.test(text))
			problems.push({
				file,
				field,
				message: 'use ## headings: the page prints the title as the only # heading'
			});
		for (const m of text.matchAll(/<([A-Z][A-Za-z0-9]*)\b([^>]*)>/g)) {
			const name = m[1]!;
			const spec = CONTENT_COMPONENTS[name];
			if (!spec) {
				problems.push({
					file,
					field,
					message: `unknown component <${name}>; use one of ${Object.keys(CONTENT_COMPONENTS).join(', ')}`
				});
				continue;
			}
			const attrs = new Map(
				[...m[2]!.matchAll(/([a-zA-Z]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])
			);
			for (const r of spec.required) {
				if (!attrs.get(r)?.trim())
					problems.push({ file, field, message: `<${name}> needs ${r}="…"` });
			}
			for (const a of attrs.keys()) {
				if (!spec.allowed.includes(a))
					problems.push({ file, field, message: `<${name}> has no attribute ${a}` });
			}
			if (
				name === 'Agency' &&
				attrs.has('field') &&
				!(AGENCY_FIELDS as readonly string[]).includes(attrs.get('field')!)
			) {
				problems.push({
					file,
					field,
					message: `<Agency> field must be one of ${AGENCY_FIELDS.join(', ')}`
				});
			}
			if (name === 'Callout' && attrs.has('kind') && !CALLOUT_KINDS.includes(attrs.get('kind')!)) {
				problems.push({
					file,
					field,
					message: `<Callout> kind must be one of ${CALLOUT_KINDS.join(', ')}`
				});
			}
		}
	});
	return problems;
}
