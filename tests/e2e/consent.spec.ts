import { E2E_PASSWORD, e2eAccount } from './accounts';
import { expect, expectAccessible, queryDb, signInAs, test } from './fixtures';

const membershipOf = (email: string, slug: string) =>
	queryDb<{ role: string; active: number; left_at: number | null }>(
		'select m.role, m.active, m.left_at from membership m join user u on u.id = m.user_id join organization o on o.id = m.org_id where u.email = ? and o.slug = ?',
		email,
		slug
	)[0];

test('an imported account is invited, accepts on its home page, changes its name and leaves on /me/account', async ({
	page,
	browser
}, info) => {
	test.slow(); // two people, five pages and four accessibility scans
	const email = e2eAccount('consent', info.project.name);

	// The Harbor Light admin imports someone who already has an account, as a supervisor.
	await signInAs(page, 'coordinator@harbor.muster.test');
	await page.goto('/orgs/harbor-light/import');
	const csv = `Name,Email,Role\nCasey Consent,${email},supervisor`;
	await page.getByLabel(/Roster file/).setInputFiles({
		name: `consent-${info.project.name}.csv`,
		mimeType: 'text/csv',
		buffer: Buffer.from(csv)
	});
	await page.getByRole('button', { name: 'Check the file' }).click();
	await page.getByRole('button', { name: 'Import 1 row' }).click();
	await expect(page.getByText('1 person was invited.')).toBeVisible();
	expect(membershipOf(email, 'harbor-light')).toBeUndefined();
	const mail = queryDb<{ subject: string }>('select subject from outbox where "to" = ?', email);
	expect(mail.map((m) => m.subject)).toContain(
		'You are invited to Harbor Light Outreach on Muster'
	);

	// The person sees the invitation on their home page and accepts it.
	const person = await (await browser.newContext()).newPage();
	await signInAs(person, email, E2E_PASSWORD);
	const invitations = person.getByRole('region', { name: 'Invitations' });
	await expect(invitations).toContainText(
		'Harbor Light Outreach invites you to join as a supervisor'
	);
	await expectAccessible(person);
	await invitations.getByRole('button', { name: 'Accept Harbor Light Outreach' }).click();
	await person.waitForURL((url) => url.searchParams.get('joined') === 'harbor-light');
	await expect(person.getByRole('status')).toContainText('You have joined Harbor Light Outreach');
	await expect(person.getByRole('region', { name: 'Invitations' })).toHaveCount(0);
	expect(membershipOf(email, 'harbor-light')).toMatchObject({ role: 'supervisor', active: 1 });

	// The account page lists it, with role and joined date.
	await person.goto('/me/account');
	const row = person.getByRole('row', { name: /Harbor Light Outreach/ });
	await expect(row).toContainText('Supervisor');
	await expectAccessible(person);

	// A name with a control character is refused next to the field; a good one is saved.
	await person.getByLabel('Name', { exact: true }).fill('Casey\u0007 Consent');
	await person.getByRole('button', { name: 'Save name' }).click();
	await expect(person.locator('#field-name-error')).toContainText('control character');
	await person.getByLabel('Name', { exact: true }).fill('Casey Q. Consent');
	await person.getByRole('button', { name: 'Save name' }).click();
	await person.waitForURL((url) => url.searchParams.has('renamed'));
	await expect(person.getByText('Your name was changed.')).toBeVisible();
	await expect(person.getByLabel('Name', { exact: true })).toHaveValue('Casey Q. Consent');

	// Leaving asks first (a plain link: no JavaScript needed), then ends the membership.
	await person.getByRole('link', { name: 'Leave Harbor Light Outreach' }).click();
	await person.waitForURL((url) => url.searchParams.get('leave') === 'harbor-light');
	await expect(person.getByRole('heading', { name: 'Leave Harbor Light Outreach?' })).toBeVisible();
	await expectAccessible(person);
	await person.getByRole('button', { name: 'Leave Harbor Light Outreach' }).click();
	await person.waitForURL((url) => url.searchParams.get('left') === 'harbor-light');
	await expect(person.getByRole('status')).toContainText('You left Harbor Light Outreach.');
	await expect(person.getByRole('row', { name: /Harbor Light Outreach/ })).toHaveCount(0);
	const left = membershipOf(email, 'harbor-light');
	expect(left?.active).toBe(0);
	expect(left?.left_at).not.toBeNull();

	// The admin now sees the row as left, with no training record.
	await page.goto(`/orgs/harbor-light/members?q=${encodeURIComponent(email)}`);
	await expect(page.getByRole('cell', { name: 'Left', exact: true })).toBeVisible();
	await page.getByRole('link', { name: 'Casey Q. Consent' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Casey Q. Consent');
	await expect(page.getByText('no longer shown here')).toBeVisible();
	await expect(page.getByRole('link', { name: /^PDF/ })).toHaveCount(0);
});

test('a join link makes an unverified account that confirms its email with a single-use link', async ({
	page,
	browser
}, info) => {
	await signInAs(page, 'coordinator@harbor.muster.test');
	await page.goto('/orgs/harbor-light/invites');
	const link = page.locator('form[action="?/link"]');
	await link.getByLabel('Role', { exact: true }).selectOption('learner');
	await link.getByLabel('How many people may use it').fill('2');
	await link.getByRole('button', { name: 'Create invite link' }).click();
	await expect(page.getByRole('status')).toContainText('Invite link created');
	const url = await page.getByLabel('Invite link', { exact: true }).inputValue();

	const person = await (await browser.newContext()).newPage();
	await person.goto(url);
	const email = `unverified-${info.project.name}@example.org`;
	await person.getByLabel('Name').fill('Rae Unverified');
	await person.getByLabel('Email').fill(email);
	await person.getByLabel('Password').fill('night shifts at the harbor');
	await person.getByRole('button', { name: 'Create account' }).click();
	await person.waitForURL((u) => u.pathname === '/');
	await expect(person.getByRole('heading', { name: 'Confirm your email' })).toBeVisible();
	expect(
		queryDb<{ v: number | null }>(
			'select email_verified_at as v from user where email = ?',
			email
		)[0]
	).toEqual({ v: null });

	const [mail] = queryDb<{ body: string }>(
		'select body from outbox where "to" = ? and subject like ? order by id desc',
		email,
		'Confirm your email%'
	);
	const verifyUrl = /https?:\/\/\S+\/verify-email\/[a-z2-7]+/.exec(mail!.body)![0];
	await person.goto(verifyUrl);
	await expect(person.getByRole('heading', { level: 1 })).toHaveText('Confirm your email');
	await expect(person.getByText(`Confirm that ${email} is your email address.`)).toBeVisible();
	await expectAccessible(person);
	await person.getByRole('button', { name: 'Confirm my email' }).click();
	await expect(person.getByRole('status')).toContainText('Your email is confirmed.');
	expect(
		queryDb<{ v: number | null }>(
			'select email_verified_at as v from user where email = ?',
			email
		)[0]?.v
	).not.toBeNull();
	// Used once: the link is spent.
	await person.goto(verifyUrl);
	await expect(person.getByText('This link has expired or was used already.')).toBeVisible();
	await person.goto('/');
	await expect(person.getByRole('heading', { name: 'Confirm your email' })).toHaveCount(0);
});
