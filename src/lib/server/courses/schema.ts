import { z } from 'zod';

/** The seed documents a module may name in `sources`, with how they are cited to learners. */
export const SOURCES = {
	'blue-campaign-law-enforcement-page': {
		title: 'Blue Campaign: Law Enforcement (web page)',
		publisher: 'U.S. Department of Homeland Security, Blue Campaign',
		date: 'undated'
	},
	'blue-campaign-law-enforcement-first-responders-brochure': {
		title: 'Human Trafficking: Law Enforcement, First Responders and Healthcare (brochure)',
		publisher: 'U.S. Department of Homeland Security, Blue Campaign',
		date: 'undated'
	},
	'blue-campaign-make-the-connection-ngo-brochure': {
		title: 'Make the Connection: NGOs (brochure)',
		publisher: 'U.S. Department of Homeland Security, Blue Campaign',
		date: 'undated'
	},
	'dhs-victim-support-in-investigations': {
		title: 'Victim Support in Case Investigations and Prosecution of Traffickers',
		publisher: 'U.S. Department of Homeland Security',
		date: 'last published 5 November 2014'
	},
	'womenslaw-t-visa-contacting-law-enforcement': {
		title: 'T visa: contacting law enforcement',
		publisher: 'WomensLaw.org',
		date: '12 August 2019'
	}
} as const;
export type SourceId = keyof typeof SOURCES;

const slug = z
	.string()
	.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lower-case letters, digits and single dashes');
const line = (max: number) =>
	z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);
const isoDate = z.union([z.date(), z.string()]).transform((v, ctx) => {
	const s = v instanceof Date ? v.toISOString().slice(0, 10) : v;
	if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(Date.parse(s))) {
		ctx.addIssue({ code: 'custom', message: 'must be a date written YYYY-MM-DD' });
		return z.NEVER;
	}
	return s;
});

export const courseSchema = z.strictObject({
	title: line(120),
	summary: line(400),
	audience: line(200),
	category: z.enum(['law-enforcement', 'campus', 'investigations', 'volunteers']),
	creditHours: z.number().positive().max(100),
	passingScore: z.number().int().min(1).max(100),
	validityMonths: z.number().int().positive().max(120).nullable().optional(),
	version: z
		.union([z.string(), z.number()])
		.transform((v) => String(v))
		.pipe(line(40))
});
export type CourseMeta = z.infer<typeof courseSchema>;

const checkOption = z.strictObject({
	text: line(400),
	correct: z.boolean().optional(),
	feedback: line(1000)
});

export const checkQuestionSchema = z
	.strictObject({
		id: slug,
		prompt: line(600),
		options: z.array(checkOption).min(2, 'needs at least two options').max(6)
	})
	.refine((q) => q.options.filter((o) => o.correct).length === 1, {
		message: 'needs exactly one option with correct: true',
		path: ['options']
	});
export type CheckQuestion = z.infer<typeof checkQuestionSchema>;

/**
 * A source outside the seeds that a module now rests on (a statute, a regulation, an agency
 * fact sheet). `facts` lists the phone numbers and form names this source supports, exactly as
 * the module writes them: the seed-facts test accepts them only from a listed source.
 */
export const referenceSchema = z.strictObject({
	title: line(300),
	publisher: line(200).optional(),
	date: z
		.union([z.string(), z.date()])
		.transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v))
		.pipe(line(60))
		.optional(),
	url: z
		.string()
		.trim()
		.regex(/^https?:\/\/[^\s"<>]+$/, 'must be a web address starting with https:// or http://')
		.optional(),
	facts: z.array(line(120)).max(20).optional()
});
export type Reference = z.infer<typeof referenceSchema>;

/** The module's 2-minute version (see courses/README.md and briefing.ts). */
export const briefingSchema = z.strictObject({
	scene: line(1500),
	rule: line(600),
	steps: z
		.array(line(300))
		.length(3, 'needs exactly three steps')
		.transform((s) => s as [string, string, string]),
	question: line(400)
});

export const moduleSchema = z.strictObject({
	title: line(120),
	minutes: z.number().int().min(1).max(30),
	objectives: z.array(line(300)).min(1).max(6),
	sources: z
		.array(
			z.string().refine((s) => s in SOURCES, {
				message: `must be one of: ${Object.keys(SOURCES).join(', ')}`
			})
		)
		.min(1),
	references: z.array(referenceSchema).max(12).optional(),
	reviewed: isoDate,
	briefing: briefingSchema,
	check: z
		.array(checkQuestionSchema)
		.min(1, 'needs 1 to 3 quick-check questions')
		.max(3, 'needs 1 to 3 quick-check questions')
});
export type ModuleMeta = z.infer<typeof moduleSchema>;

export { slug as slugSchema };
