import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { securityLoader } from '@digitalcredentials/security-document-loader';
import multikeyContext from '@digitalbazaar/multikey-context';
import type { APIRequestContext } from '@playwright/test';
import { E2E_PASSWORD, e2eAccount } from './accounts';
import { expect, expectAccessible, queryDb, signInAs, test } from './fixtures';

// Tamper-evident records and Open Badges, as a holder, a verifier and the instance admin see
// them. The credential is checked the way another agency would: the server's published DID
// document, the field's libraries, no code of Muster's.

type Holder = { email: string; code: string };

/** A demo roster member with a current certificate (a different one per project). */
function holder(project: string): Holder {
	const rows = queryDb<Holder>(
		`select u.email, c.code from certificate c join user u on u.id = c.user_id
		 where u.email not in ('admin@muster.test', 'sergeant@riverside.muster.test',
		   'officer@riverside.muster.test', 'chief@campus.muster.test',
		   'coordinator@harbor.muster.test', 'volunteer@harbor.muster.test')
		   and (c.expires_at is null or c.expires_at > ?)
		   and not exists (select 1 from certificate_revocation r where r.certificate_id = c.id)
		 order by c.id`,
		Date.now()
	);
	return rows[project === 'chromium' ? 0 : 1]!;
}

async function verifyOnOurOwn(request: APIRequestContext, credential: unknown) {
	const did = await (await request.get('/.well-known/did.json')).json();
	const loader = securityLoader();
	const multikey = 'https://w3id.org/security/multikey/v1';
	loader.addStatic(multikey, multikeyContext.contexts.get(multikey));
	loader.addStatic(did.id, did);
	for (const m of did.verificationMethod) loader.addStatic(m.id, { '@context': multikey, ...m });
	const offline = { get: async ({ url }: { url: string }) => Promise.reject(new Error(url)) };
	for (const protocol of ['did', 'http', 'https'])
		loader.setProtocolHandler({ protocol, handler: offline });
	return vc.verifyCredential({
		credential,
		suite: new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 }),
		documentLoader: loader.build(),
		checkStatus: async () => ({ verified: true })
	});
}

test('a holder downloads the signed credential from their certificates; it verifies elsewhere; nobody else gets it', async ({
	page,
	request
}, info) => {
	const h = holder(info.project.name);
	await signInAs(page, h.email);
	await page.goto('/me/certificates');
	await expect(page.getByRole('heading', { level: 1, name: 'Your certificates' })).toBeVisible();
	await page.getByText('About the digital credential').click();
	await expect(page.getByText('Learner Credential Wallet')).toBeVisible();
	await expectAccessible(page);
	// The link is a plain download: fetched with the page's own session.
	const link = page.getByRole('link', { name: /Digital credential/ }).first();
	await expect(link).toHaveAttribute('download', '');
	const file = await page.request.get((await link.getAttribute('href'))!);
	expect(file.status()).toBe(200);
	expect(file.headers()['content-disposition']).toMatch(
		/attachment; filename="muster-[0-9A-Z]+\.json"/
	);
	const credential = await file.json();
	expect(credential.type).toContain('OpenBadgeCredential');
	expect(credential.proof[0].cryptosuite).toBe('eddsa-rdfc-2022');
	const result = await verifyOnOurOwn(request, credential);
	expect(result.verified).toBe(true);

	// another learner: "not found", like a code that does not exist
	await page.context().clearCookies();
	await signInAs(page, e2eAccount('courses', info.project.name), E2E_PASSWORD);
	const other = await page.request.get(`/certificates/${h.code}.json`);
	expect(other.status()).toBe(404);
});

test('the verification page offers the credential, and /verify checks a pasted or uploaded one in words', async ({
	page,
	request
}, info) => {
	const h = holder(info.project.name);
	await page.goto(`/verify/${h.code}`);
	await expect(page.getByRole('heading', { name: 'Certificate verification' })).toBeVisible();
	const link = page.getByRole('link', { name: 'Download the signed credential' });
	const text = await (await request.get((await link.getAttribute('href'))!)).text();
	expect(JSON.parse(text).type).toContain('OpenBadgeCredential');

	await page.goto('/verify');
	await page.getByLabel('Credential JSON').fill(text);
	await page.getByLabel('Holder’s email (optional)').fill(h.email);
	await page.getByRole('button', { name: 'Check the credential' }).click();
	const report = page.getByRole('status').filter({ hasText: 'Genuine and current.' });
	await expect(report).toBeVisible();
	await expect(report).toContainText('The signature holds');
	await expect(report).toContainText(`It was issued to ${h.email}.`);
	await expect(report).toContainText('not revoked');
	await expectAccessible(page);

	// one changed character: the signature no longer holds
	const credential = JSON.parse(text);
	credential.credentialSubject.achievement.name += '.';
	await page.goto('/verify');
	await page.getByLabel('Or its file').setInputFiles({
		name: 'changed.json',
		mimeType: 'application/json',
		buffer: Buffer.from(JSON.stringify(credential))
	});
	await page.getByRole('button', { name: 'Check the credential' }).click();
	await expect(page.getByRole('heading', { name: /Not genuine/ })).toBeVisible();

	// malformed JSON: a message next to the field, never a 500
	await page.goto('/verify');
	await page.getByLabel('Credential JSON').fill('{"type": ["VerifiableCredential"');
	await page.getByRole('button', { name: 'Check the credential' }).click();
	await expect(page.locator('#credential-error')).toContainText('This is not valid JSON.');
	await expect(page.getByLabel('Credential JSON')).toHaveAttribute('aria-invalid', 'true');
	await expectAccessible(page);
});

test('the status list and the DID document are published', async ({ request }) => {
	const did = await (await request.get('/.well-known/did.json')).json();
	expect(did.id).toMatch(/^did:web:localhost%3A\d+$/);
	expect(did.assertionMethod.length).toBeGreaterThanOrEqual(1);
	const list = await request.get('/credentials/status/revocation');
	expect(list.status()).toBe(200);
	const body = await list.json();
	expect(body.type).toContain('BitstringStatusListCredential');
	expect(body.credentialSubject.encodedList).toMatch(/^u/);
	expect((await verifyOnOurOwn(request, body)).verified).toBe(true);
});

test('the instance admin sees the chain head, verifies it, and downloads a signed audit head', async ({
	page
}) => {
	await signInAs(page, 'admin@muster.test');
	await page.goto('/admin/audit');
	const section = page.getByRole('region', { name: 'Tamper-evident audit trail' });
	await expect(section).toBeVisible();
	await expect(section.locator('code.hash')).toHaveText(/^[0-9a-f]{64}$/);
	await section.getByRole('button', { name: 'Verify the chain now' }).click();
	await expect(page).toHaveURL(/\/admin\/audit(#chain-heading)?$/);
	await expect(page.getByRole('region', { name: 'Tamper-evident audit trail' })).toContainText(
		'intact'
	);
	await expectAccessible(page);

	const link = page.getByRole('link', { name: 'Download the signed audit head' });
	const file = await page.request.get((await link.getAttribute('href'))!);
	expect(file.headers()['content-disposition']).toMatch(/attachment; filename="muster-audit-head-/);
	const signed = await file.json();
	expect(signed.statement.type).toBe('MusterAuditHead');
	expect(signed.signature.signatureValue).toMatch(/^[\w-]{80,}$/);
	const [row] = queryDb<{ hash: string }>(
		'select hash from audit_event where id = ?',
		signed.statement.eventId
	);
	expect(row!.hash).toBe(signed.statement.head);
});

test('bad input to the credential check answers 400 with a message, never a 500', async ({
	request,
	baseURL
}) => {
	const headers = { Origin: baseURL!, Accept: 'text/html' };
	const cases: [Record<string, string>, RegExp][] = [
		[{}, /Paste the credential/],
		[{ credential: '{'.repeat(300_000) }, /too long to be a credential/],
		[{ credential: '{"a":1}', email: 'not-an-email' }, /Enter an email address/],
		[{ credential: 'null' }, /not a credential/],
		[
			{ credential: '{"type":"VerifiableCredential","proof":7,"issuer":{"id":[]}}' },
			/another issuer/
		]
	];
	for (const [form, message] of cases) {
		const response = await request.post('/verify?/credential', { headers, form });
		expect(response.status(), JSON.stringify(form).slice(0, 80)).toBeLessThan(500);
		expect(await response.text()).toMatch(message);
	}
	const file = await request.post('/verify?/credential', {
		headers,
		multipart: {
			file: { name: 'x.json', mimeType: 'application/json', buffer: Buffer.from('[]') },
			email: { name: 'a.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') }
		}
	});
	expect(file.status()).toBe(400);
	expect(await file.text()).toMatch(/not a credential/);
});
