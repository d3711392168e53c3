/// <reference lib="dom" />
// Code passed to page.evaluate() runs in the browser, hence the DOM types here.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createTestUser, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { launchBrowser, listen } from '../helpers/browser';
import { insertParticipant } from '../helpers/fixtures';

// The accounts story of issue 13, as an organisation lives it: an administrator makes a team and
// invites a coach into it; the coach chooses a password through the link and lands on Today; the
// administrator moves the coach to another team, and their participants move along.

let t: TestApp;
let server: { baseUrl: string; close(): Promise<void> };
let browser: Browser;
let admin: UserFixture;
const screenshots = path.resolve(__dirname, '..', '..', 'test-results');

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  t = await startTestApp();
  admin = await createTestUser(t.database, { role: 'admin', displayName: 'Sanne de Vries' });
  await createTestUser(t.database, { role: 'coach', team: 'Team Utrecht', displayName: 'Daan Bakker' });
  server = await listen(t.app);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await t?.close();
});

function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
}

async function signInAs(page: Page, email: string, password: string) {
  await page.goto(`${server.baseUrl}/login`);
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Aanmelden', exact: true }).click();
}

async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

test('an administrator invites a coach into a new team; the coach sets a password and lands on Today; the coach moves team with their participants', async () => {
  const adminPage = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  const adminProblems = watchProblems(adminPage);
  await signInAs(adminPage, admin.email, admin.password);
  await adminPage.waitForURL(`${server.baseUrl}/dashboard`);

  // A new team.
  await adminPage.getByRole('link', { name: 'Teams', exact: true }).first().click();
  await adminPage.getByLabel('Naam').fill('Team Oost');
  await adminPage.getByRole('button', { name: 'Team aanmaken' }).click();
  await adminPage.waitForURL(/\/admin\/teams\/\d+\?done=created$/);
  expect(await adminPage.locator('h1').innerText()).toBe('Team Oost');

  // The invitation.
  await adminPage.goto(`${server.baseUrl}/admin/users`);
  await adminPage.getByRole('link', { name: 'Iemand uitnodigen' }).click();
  await adminPage.getByLabel('Naam').fill('Olga Oost');
  await adminPage.getByLabel('E-mailadres').fill('olga@example.test');
  await adminPage.getByLabel('Rol').selectOption('coach');
  await adminPage.getByLabel('Team').selectOption({ label: 'Team Oost' });
  await adminPage.getByRole('button', { name: 'Uitnodigen' }).click();
  await adminPage.waitForURL(/\/admin\/users\/\d+$/);
  const personUrl = adminPage.url();
  expect(await adminPage.getByRole('heading', { name: 'Uitnodiging gemaakt' }).isVisible()).toBe(true);
  // The copy button appears with JavaScript.
  expect(await adminPage.getByRole('button', { name: 'Link kopiëren' }).isVisible()).toBe(true);
  const link = await adminPage.locator('#set-password-link').inputValue();
  await adminPage.screenshot({ path: path.join(screenshots, 'invite-link.png'), fullPage: true });
  const linkPath = new URL(link).pathname + new URL(link).search;

  // The coach, on a phone, follows the link.
  const coachContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const coachPage = await coachContext.newPage();
  const coachProblems = watchProblems(coachPage);
  await coachPage.goto(`${server.baseUrl}${linkPath}`);
  expect(await coachPage.locator('body').innerText()).toContain('Welkom, Olga Oost.');
  await coachPage.getByLabel('Nieuw wachtwoord', { exact: true }).fill('password1234');
  await coachPage.getByLabel('Nieuw wachtwoord nogmaals').fill('password1234');
  await coachPage.getByRole('button', { name: 'Wachtwoord opslaan en aanmelden' }).click();
  await coachPage.getByText('Dit lijkt te veel op een veelgebruikt wachtwoord.').first().waitFor();
  await coachPage.screenshot({ path: path.join(screenshots, 'set-password-refused-mobile.png'), fullPage: true });
  coachProblems.splice(0); // the refused password answers 422 on purpose
  await coachPage.getByLabel('Nieuw wachtwoord', { exact: true }).fill('zeven blauwe fietsen aan de kade');
  await coachPage.getByLabel('Nieuw wachtwoord nogmaals').fill('zeven blauwe fietsen aan de kade');
  await coachPage.getByRole('button', { name: 'Wachtwoord opslaan en aanmelden' }).click();
  await coachPage.waitForURL(`${server.baseUrl}/today`);
  // On a phone the name and team are in the header's menu.
  await coachPage.locator('summary.site-menu__toggle').click();
  expect(await coachPage.locator('header').innerText()).toContain('Olga Oost');
  expect(await coachPage.locator('header').innerText()).toContain('Team Oost');
  expect(await horizontalOverflow(coachPage)).toBeLessThanOrEqual(0);
  await coachPage.screenshot({ path: path.join(screenshots, 'invited-coach-today-mobile.png'), fullPage: true });
  expect(coachProblems).toEqual([]);

  // The coach's caseload grows; then the administrator moves them to Team Utrecht, caseload and all.
  const olga = await t.database.db
    .selectFrom('users')
    .select('id')
    .where('email', '=', 'olga@example.test')
    .executeTakeFirstOrThrow();
  const participants = [
    await insertParticipant(t.database.db, { first_name: 'Piet', last_name: 'Oost', coach_id: olga.id, status: 'active' }),
    await insertParticipant(t.database.db, { first_name: 'Puck', last_name: 'Oost', coach_id: olga.id, status: 'intake' }),
  ];
  await adminPage.setViewportSize({ width: 390, height: 844 });
  await adminPage.goto(personUrl);
  expect(await adminPage.locator('body').innerText()).toContain('2 lopende deelnemers van Olga Oost');
  await adminPage.locator('#teamId').selectOption({ label: 'Team Utrecht' });
  await adminPage.getByRole('button', { name: 'Wijzigingen opslaan' }).click();
  await adminPage.getByText('kies of de deelnemers meegaan of naar een collega gaan').first().waitFor();
  adminProblems.splice(0); // the unanswered question answers 422 on purpose
  await adminPage.getByLabel('Ze gaan mee naar het nieuwe team').check();
  await adminPage.getByRole('button', { name: 'Wijzigingen opslaan' }).click();
  await adminPage.waitForURL(/\/admin\/users\/\d+\?done=updated$/);
  expect(await adminPage.getByRole('status').innerText()).toContain('De gegevens zijn opgeslagen.');
  expect(await horizontalOverflow(adminPage)).toBeLessThanOrEqual(0);
  await adminPage.screenshot({ path: path.join(screenshots, 'person-moved-mobile.png'), fullPage: true });
  expect(adminProblems).toEqual([]);

  const moved = await t.database.db
    .selectFrom('users')
    .innerJoin('teams', 'teams.id', 'users.team_id')
    .select('teams.name')
    .where('users.id', '=', olga.id)
    .executeTakeFirstOrThrow();
  expect(moved.name).toBe('Team Utrecht');
  const coaches = await t.database.db.selectFrom('participants').select('coach_id').where('id', 'in', participants).execute();
  expect(coaches.map((row) => row.coach_id)).toEqual([olga.id, olga.id]);
  // The coach's next request already shows the new team.
  await coachPage.reload();
  await coachPage.locator('summary.site-menu__toggle').click();
  expect(await coachPage.locator('header').innerText()).toContain('Team Utrecht');
  await coachContext.close();
  await adminPage.close();
});
