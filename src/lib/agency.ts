// An agency's own policy as its members see it: in the courses' "In our agency" boxes, on the
// briefing pages and on the reference card. Shared by the server (which builds the view) and
// the content components (which show it). Every value is plain text, shown as text.

export const US_STATES: [code: string, name: string][] = [
	['AL', 'Alabama'],
	['AK', 'Alaska'],
	['AZ', 'Arizona'],
	['AR', 'Arkansas'],
	['CA', 'California'],
	['CO', 'Colorado'],
	['CT', 'Connecticut'],
	['DE', 'Delaware'],
	['DC', 'District of Columbia'],
	['FL', 'Florida'],
	['GA', 'Georgia'],
	['HI', 'Hawaii'],
	['ID', 'Idaho'],
	['IL', 'Illinois'],
	['IN', 'Indiana'],
	['IA', 'Iowa'],
	['KS', 'Kansas'],
	['KY', 'Kentucky'],
	['LA', 'Louisiana'],
	['ME', 'Maine'],
	['MD', 'Maryland'],
	['MA', 'Massachusetts'],
	['MI', 'Michigan'],
	['MN', 'Minnesota'],
	['MS', 'Mississippi'],
	['MO', 'Missouri'],
	['MT', 'Montana'],
	['NE', 'Nebraska'],
	['NV', 'Nevada'],
	['NH', 'New Hampshire'],
	['NJ', 'New Jersey'],
	['NM', 'New Mexico'],
	['NY', 'New York'],
	['NC', 'North Carolina'],
	['ND', 'North Dakota'],
	['OH', 'Ohio'],
	['OK', 'Oklahoma'],
	['OR', 'Oregon'],
	['PA', 'Pennsylvania'],
	['RI', 'Rhode Island'],
	['SC', 'South Carolina'],
	['SD', 'South Dakota'],
	['TN', 'Tennessee'],
	['TX', 'Texas'],
	['UT', 'Utah'],
	['VT', 'Vermont'],
	['VA', 'Virginia'],
	['WA', 'Washington'],
	['WV', 'West Virginia'],
	['WI', 'Wisconsin'],
	['WY', 'Wyoming']
];
export const STATE_NAME = new Map(US_STATES);

/** What a lesson may show with <Agency field="…" />. */
export const AGENCY_FIELDS = [
	'policy',
	'stateLaw',
	'taskForce',
	'victimSpecialist',
	'ngoPartner',
	'notificationRule'
] as const;
export type AgencyField = (typeof AGENCY_FIELDS)[number];

export interface AgencyView {
	orgName: string;
	/** The policy row shown (each save is a new version); recorded with completions. */
	policyId: number;
	version: number;
	policyTitle: string | null;
	policyNumber: string | null;
	/** Only an http(s) address; a file name or anything else stays text. */
	policyUrl: string | null;
	policyFile: string | null;
	state: string | null;
	stateLawNote: string | null;
	taskForce: string | null;
	victimSpecialist: string | null;
	ngoPartner: string | null;
	notificationRule: string | null;
}

export const AGENCY_LABELS: Record<AgencyField, string> = {
	policy: 'Our policy',
	stateLaw: 'State law',
	taskForce: 'Local task force',
	victimSpecialist: 'Victim specialist or advocate to call',
	ngoPartner: 'Local NGO partner',
	notificationRule: 'Who to notify'
};

/** The general advice a lesson shows when the agency has not filled in a field. */
export const AGENCY_DEFAULTS: Record<AgencyField, string> = {
	policy: "Follow your agency's written policy on human trafficking response.",
	stateLaw:
		'Most states have their own laws against human trafficking. Ask your training coordinator what yours says.',
	taskForce:
		'Find out whether your area has a human trafficking task force at www.bja.gov, and build a relationship with it.',
	victimSpecialist:
		'Know which victim specialist or advocate you can call, and bring one in as early as you can.',
	ngoPartner: 'Know which local service providers your agency works with.',
	notificationRule:
		"Follow your agency's protocol to notify your supervisor and bring in the proper local authorities."
};

/** A value as an http(s) address, or null: nothing an agency writes becomes another kind of link. */
export function httpUrl(value: string | null | undefined): string | null {
	if (!value || !/^https?:\/\//i.test(value.trim())) return null;
	try {
		const url = new URL(value.trim());
		return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
	} catch {
		return null;
	}
}

/** The text an agency wrote for one field, or null when it left the field empty. */
export function agencyText(view: AgencyView, field: AgencyField): string | null {
	switch (field) {
		case 'policy': {
			const parts = [view.policyTitle, view.policyNumber && `No. ${view.policyNumber}`].filter(
				Boolean
			);
			return parts.length || view.policyUrl || view.policyFile ? parts.join(', ') : null;
		}
		case 'stateLaw': {
			const state = view.state ? STATE_NAME.get(view.state) : null;
			if (!state && !view.stateLawNote) return null;
			return [state, view.stateLawNote].filter(Boolean).join(': ');
		}
		default:
			return view[field];
	}
}
