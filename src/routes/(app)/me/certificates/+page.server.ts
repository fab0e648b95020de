import { ctx } from '$lib/server/app';
import { formatCode } from '$lib/server/certificates/code';
import { listCertificates, reasonLabel, statusOf } from '$lib/server/certificates/status';
import { catalog } from '$lib/server/courses';
import { listRollcallAttendance } from '$lib/server/rollcall/transcript';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	const { db, config } = ctx();
	const origin = config.origin ?? url.origin;
	return {
		certificates: listCertificates(db, locals.user!.id).map((c) => ({
			code: c.code,
			display: formatCode(c.code),
			courseTitle: c.courseTitle,
			completedAt: c.completedAt,
			expiresAt: c.expiresAt,
			status: statusOf(c),
			revokedAt: c.revokedAt,
			reason: c.revocationReason ? reasonLabel(c.revocationReason) : null,
			verifyUrl: `${origin}/verify/${c.code}`
		})),
		// Roll-call attendance, as on the transcript (/me/transcript), beside the certificates.
		rollcall: listRollcallAttendance(db, catalog, locals.user!.id).map((r) => ({
			sessionId: r.sessionId,
			line: r.line,
			moduleTitle: r.moduleTitle,
			addedBySupervisor: r.addedBySupervisor
		}))
	};
};
