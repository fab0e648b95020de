import { z } from 'zod';
import { ctx } from '$lib/server/app';
import { requireInstanceAdmin } from '$lib/server/auth/guard';
import { formatCode, normalizeCode } from '$lib/server/certificates/code';
import {
	findCertificateByCode,
	reasonLabel,
	revokeCertificate,
	statusOf
} from '$lib/server/certificates/status';
import { REVOCATION_REASONS, type RevocationReason } from '$lib/server/db/schema';
import { failForm, parseForm, text } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	requireInstanceAdmin(locals);
	return {
		reasons: Object.entries(REVOCATION_REASONS).map(([value, label]) => ({ value, label }))
	};
};

const revokeSchema = z.object({
	code: text('Verification code', 100),
	reason: z.enum(Object.keys(REVOCATION_REASONS) as [RevocationReason, ...RevocationReason[]], {
		error: 'Choose a reason.'
	}),
	note: z.string().trim().max(1000, 'Keep the note under 1,000 characters.').optional(),
	confirm: z.string().optional()
});

// Revoking takes two pages: the form (code, reason, note), then a page that shows whose
// certificate it is and asks to confirm; only that second post revokes.
export const actions: Actions = {
	revoke: async ({ locals, request, getClientAddress }) => {
		const admin = requireInstanceAdmin(locals);
		const form = await parseForm(request, revokeSchema, ['code', 'reason', 'note']);
		if (!form.ok) return form.failure;
		const code = normalizeCode(form.data.code);
		const values = { code: form.data.code, reason: form.data.reason, note: form.data.note ?? '' };
		if (!code) return failForm(400, { code: 'That is not a certificate code.' }, values);
		const { db } = ctx();
		const found = findCertificateByCode(db, code);
		if (!found) return failForm(400, { code: 'No certificate has this code.' }, values);
		if (found.revokedAt)
			return failForm(400, { code: 'This certificate is already revoked.' }, values);
		if (form.data.confirm !== 'yes') {
			return {
				confirm: {
					code: formatCode(code),
					holder: found.holderName,
					course: found.courseTitle,
					issuer: found.issuer,
					completedAt: found.completedAt,
					status: statusOf(found),
					reason: form.data.reason,
					reasonLabel: reasonLabel(form.data.reason),
					note: form.data.note ?? ''
				}
			};
		}
		const result = revokeCertificate(db, {
			code,
			reason: form.data.reason,
			note: form.data.note || undefined,
			by: admin.id,
			ip: getClientAddress()
		});
		if (!result.ok) {
			const message =
				result.reason === 'not_found'
					? 'No certificate has this code.'
					: 'This certificate is already revoked.';
			return failForm(400, { code: message }, values);
		}
		return {
			done: `Certificate ${formatCode(code)} is revoked. Its verification page says so now.`
		};
	}
};
