import { request as playwrightRequest, type Browser, type Page } from '@playwright/test';
import { buildCatalog } from '../../src/lib/server/courses/catalog';
import { readCourseFiles } from '../../src/lib/server/courses/read-files';
import { CROWD, DEMO_PASSWORD, E2E_PASSWORD, rollcallOfficer } from './accounts';
import { expect, expectAccessible, queryDb, signInAs, test } from './fixtures';

// A roll-call session from start to record: the sergeant presents, officers join on their
// phones (one typing the code, one through the QR address), the sergeant adds one by hand and
// closes, and everyone's module is recorded as done at roll call.

const catalog = buildCatalog(readCourseFiles(process.cwd()));
const rollCall = catalog.bySlug.get('roll-call')!;
const SERGEANT = 'sergeant@riverside.muster.test';

async function person(browser: Browser, javaScriptEnabled: boolean) {
	const context = await browser.newContext({ javaScriptEnabled });
	return { context, page: await context.newPage() };
}

async function startSession(page: Page, moduleSlug: string): Promise<string> {
	await page.goto('/orgs/riverside-pd/rollcall');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Roll call');
	await page.getByLabel('Module').selectOption(`roll-call/${moduleSlug}`);
	await page.getByLabel('For').selectOption({ label: 'Patrol A shift' });
	await page.getByRole('button', { name: 'Start the session' }).click();
	await page.waitForURL(/\/rollcall\/\d+\/present$/);
	const code = (await page.locator('.code').textContent())!.replace(/\s/g, '');
	expect(code).toMatch(/^[A-HJKMNP-Z2-9]{6}$/);
	return code;
}

/** Answers the first option of every quick-check question and waits for the feedback. */
async function answerCheck(page: Page) {
	await expect(page.getByRole('heading', { name: 'Quick check' })).toBeVisible();
	const groups = page.locator('.quick-check fieldset');
	const n = await groups.count();
	expect(n).toBeGreaterThan(0);
	for (let i = 0; i < n; i++) await groups.nth(i).getByRole('radio').first().check();
	await page.getByRole('button', { name: 'Check my answers' }).click();
	await expect(page.locator('.quick-check [role="status"]').first()).toBeVisible();
}

const doneAtRollcall = (email: string, module: string) =>
	queryDb<{ session: number | null; addedBy: number | null }>(
		`select p.rollcall_session_id as session, a.added_by as addedBy
		   from module_progress p join user u on u.id = p.user_id
		   left join rollcall_attendance a on a.session_id = p.rollcall_session_id and a.user_id = u.id
		  where u.email = ? and p.course_slug = 'roll-call' and p.module_slug = ?`,
		email,
		module
	);

test('a roll-call session: two officers join, one is added by hand, closing records all three', async ({
	browser
}, info) => {
	test.skip(info.project.name !== 'chromium', 'the live count needs JavaScript');
	test.setTimeout(120_000);
	const module = rollCall.modules.find((m) => m.slug === 'first-contact')!;
	const [a, b, c] = (['a', 'b', 'c'] as const).map((w) => rollcallOfficer(w, info.project.name));

	const sergeant = await person(browser, true);
	await signInAs(sergeant.page, SERGEANT);
	await sergeant.page.goto('/orgs/riverside-pd/rollcall');
	await expectAccessible(sergeant.page);
	const code = await startSession(sergeant.page, module.slug);
	const presenter = sergeant.page;
	await expect(presenter.getByRole('heading', { level: 1 })).toHaveText(module.title);
	await expect(presenter.getByTestId('joined-count')).toHaveText('0');
	await expectAccessible(presenter);
	// Readable from the back of the room: body text of at least 28 px at 1280×720.
	await presenter.setViewportSize({ width: 1280, height: 720 });
	const size = await presenter
		.locator('.step p, .step li')
		.first()
		.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
	expect(size).toBeGreaterThanOrEqual(28);
	// Sections move with the keyboard.
	await presenter.keyboard.press('ArrowRight');
	await expect(presenter).toHaveURL(/\?step=2$/);
	await presenter.keyboard.press('ArrowLeft');
	await expect(presenter).toHaveURL(/\?step=1$/);
	const qr = await presenter.locator('.qr').getAttribute('aria-label');
	const qrUrl = /opens (\S+)$/.exec(qr!)![1]!;
	expect(new URL(qrUrl).pathname).toBe(`/rollcall/${code}`);

	// Officer A types the code in lower case with a space.
	const officerA = await person(browser, true);
	await signInAs(officerA.page, a!, E2E_PASSWORD);
	await officerA.page.goto('/rollcall');
	await expectAccessible(officerA.page);
	await officerA.page
		.getByLabel('Join code')
		.fill(`${code.slice(0, 3).toLowerCase()} ${code.slice(3).toLowerCase()}`);
	await officerA.page.getByRole('button', { name: 'Join', exact: true }).click();
	await officerA.page.waitForURL(`**/rollcall/${code}`);
	await expect(officerA.page.getByRole('heading', { level: 1 })).toHaveText(module.title);
	await answerCheck(officerA.page);
	await expectAccessible(officerA.page);

	// Officer B scans the QR code while signed out: sign in, and straight back to the session.
	const officerB = await person(browser, true);
	await officerB.page.goto(new URL(qrUrl).pathname);
	await officerB.page.waitForURL(/\/login\?next=/);
	await officerB.page.getByLabel('Email').fill(b!);
	await officerB.page.getByLabel('Password').fill(E2E_PASSWORD);
	await officerB.page.getByRole('button', { name: 'Sign in' }).click();
	await officerB.page.waitForURL(`**/rollcall/${code}`);
	await expectAccessible(officerB.page);
	await officerB.page.getByRole('button', { name: 'Join the session' }).click();
	await expect(officerB.page.getByRole('heading', { level: 1 })).toHaveText(module.title);
	await answerCheck(officerB.page);

	// The presenter's count reaches 2 without a reload.
	await expect(presenter.getByTestId('joined-count')).toHaveText('2', { timeout: 5000 });
	await expect(presenter.getByRole('list', { name: 'Joined' }).getByRole('listitem')).toHaveCount(
		2
	);

	// The sergeant adds a third officer by hand and closes.
	await presenter.getByRole('link', { name: 'Manage and close' }).click();
	await expect(presenter.getByRole('heading', { name: 'Present (2)' })).toBeVisible();
	await expectAccessible(presenter);
	const cName = `E2E ${c!.split('@')[0]}`;
	await presenter.getByLabel('Member').selectOption({ label: cName });
	await presenter.getByRole('button', { name: 'Add to the session' }).click();
	await expect(presenter.getByRole('heading', { name: 'Present (3)' })).toBeVisible();
	await expect(presenter.getByRole('listitem').filter({ hasText: cName })).toContainText(
		'added by the supervisor'
	);
	await presenter.getByRole('button', { name: /^Close and record/ }).click();
	await expect(presenter.getByRole('heading', { name: 'Recorded (3)' })).toBeVisible();
	await expectAccessible(presenter);

	// All three have the module done via roll-call; the one added by hand is marked so.
	for (const email of [a!, b!, c!]) {
		const rows = doneAtRollcall(email, module.slug);
		expect(rows, email).toHaveLength(1);
		expect(rows[0]!.session, email).not.toBeNull();
		expect(rows[0]!.addedBy !== null, email).toBe(email === c);
	}
	await officerA.page.goto(`/courses/roll-call/${module.slug}`);
	await expect(officerA.page.getByText('Done via roll-call', { exact: true })).toBeVisible();
	await officerB.page.context().clearCookies();
	await signInAs(officerB.page, c!, E2E_PASSWORD);
	await officerB.page.goto(`/courses/roll-call/${module.slug}`);
	await expect(
		officerB.page.getByText('Done via roll-call (added by the supervisor)', { exact: true })
	).toBeVisible();
	await officerB.page.goto('/me/certificates');
	const line =
		/roll-call, \d{1,2} \w+, led by Sgt\. Dana Whitfield, \d+ minutes \(added by the supervisor\)/;
	await expect(officerB.page.getByRole('list', { name: 'Roll-call sessions' })).toContainText(line);
	// The same line on their transcript, and on the supervisor's page of the member.
	await officerB.page.goto('/me/transcript');
	await expect(officerB.page.getByRole('heading', { level: 1 })).toHaveText('My transcript');
	const mine = officerB.page.getByRole('list', { name: 'Roll-call sessions' });
	await expect(mine).toContainText(module.title);
	await expect(mine).toContainText(line);
	const [member] = queryDb<{ id: number }>(
		`select m.id from membership m join user u on u.id = m.user_id
		   join organization o on o.id = m.org_id where u.email = ? and o.slug = 'riverside-pd'`,
		c
	);
	const sessionPath = new URL(presenter.url()).pathname;
	await presenter.goto(`/orgs/riverside-pd/members/${member!.id}`);
	await expect(presenter.getByRole('heading', { level: 1 })).toHaveText(cName);
	await expect(presenter.getByRole('list', { name: 'Roll-call sessions' })).toContainText(line);

	// The roster CSV lists all three.
	const csv = await presenter.request.get(`${sessionPath}/roster.csv`);
	expect(csv.status()).toBe(200);
	const text = await csv.text();
	expect(text.split('\r\n')[0]).toContain('member name,employee/badge number,email');
	for (const email of [a!, b!, c!]) expect(text).toContain(email);

	for (const p of [sergeant, officerA, officerB]) await p.context.close();
});

test('without JavaScript: start, present with a Refresh link, join by code, add by hand, close', async ({
	browser
}, info) => {
	test.skip(info.project.name !== 'no-js', 'the no-JavaScript path');
	test.setTimeout(90_000);
	const module = rollCall.modules.find((m) => m.slug === 'victim-centered-approach')!;
	const [a, , c] = (['a', 'b', 'c'] as const).map((w) => rollcallOfficer(w, info.project.name));
	const sergeant = await person(browser, false);
	await signInAs(sergeant.page, SERGEANT, DEMO_PASSWORD);
	const code = await startSession(sergeant.page, module.slug);
	await sergeant.page.getByRole('link', { name: 'Next →' }).click();
	await expect(sergeant.page).toHaveURL(/\?step=2$/);

	const officer = await person(browser, false);
	await officer.page.goto('/rollcall');
	await officer.page.waitForURL(/\/login\?next=%2Frollcall/);
	await officer.page.getByLabel('Email').fill(a!);
	await officer.page.getByLabel('Password').fill(E2E_PASSWORD);
	await officer.page.getByRole('button', { name: 'Sign in' }).click();
	await officer.page.waitForURL(/\/rollcall$/);
	await officer.page.getByLabel('Join code').fill('zzzzzz');
	await officer.page.getByRole('button', { name: 'Join', exact: true }).click();
	await expect(officer.page.getByText('There is no session with that code.')).toBeVisible();
	await officer.page.getByLabel('Join code').fill(code.toLowerCase());
	await officer.page.getByRole('button', { name: 'Join', exact: true }).click();
	await officer.page.waitForURL(`**/rollcall/${code}`);
	await answerCheck(officer.page);

	await sergeant.page.getByRole('link', { name: 'Refresh' }).click();
	await expect(sergeant.page.getByTestId('joined-count')).toHaveText('1');
	await sergeant.page.getByRole('link', { name: 'Manage and close' }).click();
	await sergeant.page.getByLabel('Member').selectOption({ label: `E2E ${c!.split('@')[0]}` });
	await sergeant.page.getByRole('button', { name: 'Add to the session' }).click();
	await expect(sergeant.page.getByRole('heading', { name: 'Present (2)' })).toBeVisible();
	await sergeant.page.getByRole('button', { name: /^Close and record/ }).click();
	await expect(sergeant.page.getByRole('heading', { name: 'Recorded (2)' })).toBeVisible();
	await sergeant.page.getByRole('button', { name: 'Assign the make-up' }).click();
	await expect(sergeant.page.getByRole('status')).toContainText('Make-up assigned');
	// A long list of make-ups folds into a summary (more than ten): open it, as the sergeant would.
	const makeUps = sergeant.page.getByRole('list', { name: 'Make-ups assigned' });
	if (!(await makeUps.isVisible()))
		await sergeant.page.getByText(/make-ups? assigned, due/).click();
	const b = rollcallOfficer('b', info.project.name);
	await expect(sergeant.page.getByRole('list', { name: 'Make-ups assigned' })).toContainText(
		`E2E ${b.split('@')[0]}`
	);
	// The make-up is an assignment of required training: the module, for officer B (of the
	// shift, not there), due on the organization's day seven days after the close.
	const [made] = queryDb<{ dueOn: string; closedAt: number; timeZone: string; module: string }>(
		`select a.due_on as dueOn, s.closed_at as closedAt, o.time_zone as timeZone,
		        a.module_slug as module
		   from rollcall_makeup m
		   join assignment a on a.id = m.assignment_id
		   join rollcall_session s on s.id = m.session_id
		   join organization o on o.id = s.org_id
		   join membership ms on ms.id = m.membership_id join user u on u.id = ms.user_id
		  where u.email = ? and s.module_slug = ? and a.scope = 'people' and a.due_kind = 'fixed'
		  order by m.id desc limit 1`,
		b,
		module.slug
	);
	expect(made?.module).toBe(module.slug);
	const dueDay = new Intl.DateTimeFormat('en-CA', { timeZone: made!.timeZone }).format(
		new Date(made!.closedAt + 7 * 86_400_000)
	);
	expect(made!.dueOn).toBe(dueDay);
	// Officer B sees it in their required training: home first, and the transcript.
	const absent = await person(browser, false);
	await signInAs(absent.page, b, E2E_PASSWORD);
	await absent.page.goto('/');
	const title = `${module.title} (${rollCall.meta.title})`;
	const card = absent.page
		.getByRole('list', { name: 'Required' })
		.getByRole('listitem')
		.filter({ hasText: title });
	await expect(card).toContainText('Due soon');
	await expect(card).toContainText('Riverside Police Department');
	await expect(card.getByRole('link', { name: `Start ${title}` })).toHaveAttribute(
		'href',
		`/courses/roll-call/${module.slug}`
	);
	await absent.page.goto('/me/transcript');
	await expect(absent.page.getByRole('heading', { level: 1 })).toHaveText('My transcript');
	await expect(
		absent.page.getByRole('region', { name: 'Required training' }).getByRole('row', { name: title })
	).toContainText('Due soon');
	await absent.context.close();
	// A closed code is refused with a plain message.
	await officer.page.goto('/rollcall');
	await officer.page.getByLabel('Join code').fill(code);
	await officer.page.getByRole('button', { name: 'Join', exact: true }).click();
	await expect(officer.page.getByText('That session has closed.')).toBeVisible();
	for (const email of [a!, c!]) expect(doneAtRollcall(email, module.slug)).toHaveLength(1);
	for (const p of [sergeant, officer]) await p.context.close();
});

test('fifty officers joining at the same moment are all recorded, each once', async ({
	baseURL
}, info) => {
	test.skip(info.project.name !== 'chromium', 'an HTTP test: one project is enough');
	test.setTimeout(120_000);
	const open = async (email: string, password: string) => {
		const context = await playwrightRequest.newContext({
			baseURL,
			extraHTTPHeaders: { Origin: baseURL!, Accept: 'text/html' }
		});
		const r = await context.post('/login', { form: { email, password }, maxRedirects: 0 });
		expect(r.status(), email).toBe(303);
		return context;
	};
	const sergeant = await open(SERGEANT, DEMO_PASSWORD);
	const started = await sergeant.post('/orgs/riverside-pd/rollcall?/start', {
		form: { module: 'roll-call/who-to-call', group: '' },
		maxRedirects: 0
	});
	expect(started.status()).toBe(303);
	const present = started.headers()['location']!;
	const sessionId = Number(/\/rollcall\/(\d+)\/present$/.exec(present)![1]);
	const code = /class="code[^"]*"[^>]*>([^<]+)</.exec(
		await (await sergeant.get(present)).text()
	)![1]!;
	const crowd = await Promise.all(CROWD.map((email) => open(email, E2E_PASSWORD)));
	const answers = await Promise.all(
		crowd.map((c) => c.post('/rollcall', { form: { code }, maxRedirects: 0 }))
	);
	for (const r of answers) expect(r.status()).toBe(303);
	const rows = queryDb<{ n: number; people: number }>(
		'select count(*) as n, count(distinct user_id) as people from rollcall_attendance where session_id = ?',
		sessionId
	);
	expect(rows[0]).toEqual({ n: 50, people: 50 });
	for (const c of [sergeant, ...crowd]) await c.dispose();
});
