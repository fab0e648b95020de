/**
 * Statuses as words, one vocabulary for every page (shown with StatusTag.svelte). The word
 * comes first; the tone is only its colour.
 */
import { day } from './format';

export type Tone = 'ok' | 'warn' | 'bad' | 'info' | 'neutral';
export interface Status {
	label: string;
	tone: Tone;
}

/**
 * Where a person stands in a course: Not started, 2 of 6 modules, Ready for the assessment,
 * Not passed, Completed · valid until …, Expired, Revoked.
 */
export function trainingStatus(
	t: {
		done: number;
		total: number;
		/** The latest certificate's status, if the course was completed. */
		certificate?: { status: 'valid' | 'expired' | 'revoked'; expiresAt: Date | null } | null;
		completed?: boolean;
		/** Whether an attempt was submitted and did not pass (and none passed since). */
		failed?: boolean;
	},
	timeZone?: string | null
): Status {
	const c = t.certificate;
	if (c?.status === 'revoked') return { label: 'Revoked', tone: 'bad' };
	if (c?.status === 'expired') return { label: 'Expired', tone: 'bad' };
	if (c || t.completed)
		return {
			label: c?.expiresAt ? `Completed · valid until ${day(c.expiresAt, timeZone)}` : 'Completed',
			tone: 'ok'
		};
	if (t.failed) return { label: 'Not passed', tone: 'warn' };
	if (t.done === 0) return { label: 'Not started', tone: 'neutral' };
	if (t.done >= t.total) return { label: 'Ready for the assessment', tone: 'info' };
	return { label: `${t.done} of ${t.total} modules`, tone: 'info' };
}

export function certificateStatus(status: 'valid' | 'expired' | 'revoked'): Status {
	return status === 'valid'
		? { label: 'Valid', tone: 'ok' }
		: status === 'expired'
			? { label: 'Expired', tone: 'bad' }
			: { label: 'Revoked', tone: 'bad' };
}

export function activeStatus(active: boolean, off = 'Deactivated'): Status {
	return active ? { label: 'Active', tone: 'ok' } : { label: off, tone: 'neutral' };
}
