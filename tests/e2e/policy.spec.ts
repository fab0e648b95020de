import { expect, expectAccessible, queryDb, signInAs, signOut, test } from './fixtures';

// An agency's own policy: its admin fills it in at /orgs/[org]/policy, and its members see it in
// the lessons' "In our agency" boxes, on the briefing pages and on the reference card. The
// JavaScript project works on Riverside; the no-JavaScript project on Northfield, so the two never
// edit the same organization's policy at once.

const ORGS = {
	chromium: {
		slug: 'riverside-pd',
		name: 'Riverside Police Department',
		admin: 'admin@riverside.muster.test',
		course: 'roll-call',
		module: 'indicators-in-the-field',
		title: 'Indicators in the field'
	},
	'no-js': {
		slug: 'northfield-ps',
		name: 'Northfield University Public Safety',
		admin: 'chief@campus.muster.test',
		// A course the demo's chief has not read yet (they have done their campus's own), so
		// reading the module records a new row with the policy version.
		course: 'victim-centered-interviewing',
		module: 'why-victims-fear-police',
		title: 'Why victims fear police'
	}
} as const;

const values = (org: string) => ({
	'Policy title': 'Human Trafficking Response',
	'Policy number': '4.12',
	'Local human trafficking task force': `${org} County Human Trafficking Task Force, Lt. Diaz`,
	'Victim specialist or advocate to call': 'Victim Services Unit, on call through dispatch',
	'Local NGO partner': 'Safe Harbor Center',
	'What your members should know about state law':
		'We answer a U or T visa certification request within 90 days.',
	// Whatever an agency writes is shown as text: this must never run.
	'Who to notify':
		'Notify the watch commander <script>window.__agency = 1</script> before you clear.'
});

test('an admin fills in the policy; the members see it, other organizations do not', async ({
	page
}, info) => {
	test.setTimeout(90_000);
	const org = ORGS[info.project.name as keyof typeof ORGS];
	const v = values(org.slug.split('-')[0]!);
	await signInAs(page, org.admin);
	await page.goto(`/orgs/${org.slug}/policy`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Our policy');
	await expectAccessible(page);

	for (const [label, text] of Object.entries(v))
		await page.getByLabel(label, { exact: true }).fill(text);
	await page.getByLabel('State', { exact: true }).selectOption({ label: 'California' });
	// A link that is not a web address is refused, with the message next to the field.
	await page.getByLabel('Link or file name', { exact: true }).fill('javascript:alert(1)');
	await page.getByRole('button', { name: 'Save a new version' }).click();
	await expect(
		page.getByText('Enter a web address starting with https:// (or http://), or a file name.')
	).toBeVisible();
	await expect(page.getByLabel('Local NGO partner', { exact: true })).toHaveValue(
		'Safe Harbor Center'
	);
	await page
		.getByLabel('Link or file name', { exact: true })
		.fill('https://policies.example.org/4-12');
	await page.getByRole('button', { name: 'Save a new version' }).click();
	await page.waitForURL(/\/policy\?saved=\d+$/);
	await expect(page.getByRole('status')).toContainText('Saved as version');

	const [saved] = queryDb<{ id: number; task_force: string; state: string }>(
		'select p.id, p.task_force, p.state from agency_policy p join organization o on o.id = p.org_id where o.slug = ? order by p.version desc limit 1',
		org.slug
	);
	expect(saved).toMatchObject({ task_force: v['Local human trafficking task force'], state: 'CA' });
	expect(
		queryDb(
			"select id from audit_event where action = 'org.policy.save' and subject_id = ?",
			String(saved!.id)
		)
	).toHaveLength(1);

	// A member (the admin is one) sees the box in the lesson, as text.
	await page.goto(`/courses/${org.course}/${org.module}`);
	const box = page.getByRole('complementary', { name: 'In our agency: Who to notify' });
	await expect(box).toContainText('Notify the watch commander <script>');
	await expect(box).toContainText(org.name);
	if (info.project.name === 'chromium')
		expect(await page.evaluate(() => (window as { __agency?: number }).__agency)).toBeUndefined();

	if (info.project.name === 'no-js') {
		// Reading the full module marks it complete, with the policy version that was shown.
		await page.getByRole('button', { name: 'Save and continue' }).click();
		await page.waitForURL((url) => !url.pathname.endsWith(`/${org.module}`));
		const rows = queryDb<{ p: number | null }>(
			'select mp.agency_policy_id as p from module_progress mp join user u on u.id = mp.user_id where u.email = ? and mp.module_slug = ?',
			org.admin,
			org.module
		);
		expect(rows).toEqual([{ p: saved!.id }]);
		return;
	}

	// The demo officer of Riverside sees it on a module, its briefing and the reference card.
	await signOut(page);
	await signInAs(page, 'officer@riverside.muster.test');
	await page.goto(`/courses/${org.course}/${org.module}`);
	await expect(
		page.getByRole('complementary', { name: 'In our agency: Who to notify' })
	).toContainText('Notify the watch commander');
	await expectAccessible(page);
	await page.getByRole('link', { name: 'Read the 2-minute version' }).click();
	await page.waitForURL(`**/courses/${org.course}/${org.module}/briefing`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(org.title);
	await expect(page.getByRole('heading', { name: /In our agency/ })).toBeVisible();
	await expect(page.getByText(v['Local human trafficking task force'])).toBeVisible();
	await expect(page.getByRole('link', { name: /full module/ }).first()).toHaveAttribute(
		'href',
		`/courses/${org.course}/${org.module}`
	);
	await expectAccessible(page);
	await page.goto('/reference');
	await expect(page.getByRole('heading', { name: /In our agency/ })).toBeVisible();
	await expect(page.getByText(v['Local human trafficking task force'])).toBeVisible();
	await expect(page.getByRole('link', { name: 'Open the policy' })).toHaveAttribute(
		'href',
		'https://policies.example.org/4-12'
	);
	await expectAccessible(page);

	// A member of another organization sees the general advice, never Riverside's entries.
	await signOut(page);
	await signInAs(page, 'volunteer@harbor.muster.test');
	await page.goto(`/courses/${org.course}/${org.module}`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(org.title);
	await expect(
		// The lesson's own text inside the tag (typeset with a curly apostrophe).
		page.getByText(/Follow your agency.s protocol for telling your supervisor and bringing in/)
	).toBeVisible();
	await expect(page.getByText('In our agency')).toHaveCount(0);
	await expect(page.getByText('watch commander')).toHaveCount(0);
	await page.goto('/reference');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'Pocket reference: human trafficking'
	);
	await expect(page.getByText('In our agency')).toHaveCount(0);
});

test('a briefing opens from its module and says the full module is what counts', async ({
	page
}) => {
	await signInAs(page, 'volunteer@harbor.muster.test');
	await page.goto('/courses/volunteer-onboarding/hotlines');
	await page.getByRole('link', { name: 'Read the 2-minute version' }).click();
	await page.waitForURL('**/courses/volunteer-onboarding/hotlines/briefing');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'Hotlines and when to use which'
	);
	for (const h of ['The scene', 'The rule', 'What to do', 'Question for the room'])
		await expect(page.getByRole('heading', { name: h, exact: true })).toBeVisible();
	await expect(page.locator('article ol > li')).toHaveCount(3);
	await expect(page.getByText('is what marks it complete')).toBeVisible();
	await expect(page.getByRole('button', { name: /Save and continue/ })).toHaveCount(0);
	await expectAccessible(page);
});
