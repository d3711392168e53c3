/// <reference lib="dom" />
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createTestUser, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { launchBrowser, listen } from '../helpers/browser';

// The caseload core as a coach uses it, in a real browser: register a participant with a
// trajectory, an employer with a supervisor and a placement, pause the placement, and see it all
// on the profile.

let t: TestApp;
let server: { baseUrl: string; close(): Promise<void> };
let browser: Browser;
let coach: UserFixture;
const screenshots = path.resolve(__dirname, '..', '..', 'test-results');

beforeAll(async () => {
  t = await startTestApp();
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Utrecht', displayName: 'Daan Bakker' });
  await t.database.db.insertInto('commissioners').values({ name: 'UWV', kind: 'uwv' }).execute();
  server = await listen(t.app);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await t?.close();
});

async function submit(page: Page): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.locator('main form.form button[type=submit]').first().click()]);
}

test('a coach registers a participant, trajectory, employer, supervisor and placement, then pauses it', async () => {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));

  await page.goto(`${server.baseUrl}/login`);
  await page.fill('#email', coach.email);
  await page.fill('#password', coach.password);
  await submit(page);

  // The employer and its supervisor first, as a coach meeting a new workplace would.
  await page.goto(`${server.baseUrl}/employers/new`);
  await page.fill('#name', 'Restaurant De Gouden Lepel');
  await page.selectOption('#sector', 'hospitality');
  await page.fill('#city', 'Utrecht');
  await submit(page);
  expect(await page.locator('h1').innerText()).toContain('Restaurant De Gouden Lepel');
  await page.locator('a[href$="/contacts/new"]').first().click();
  await page.fill('#name', 'Ronald Verbeek');
  await page.selectOption('#role', 'supervisor');
  await page.fill('#phone', '06 1234 5678');
  await submit(page);

  // The participant.
  await page.goto(`${server.baseUrl}/participants/new`);
  await page.fill('#firstName', 'Mohamed');
  await page.fill('#lastName', 'Ouali');
  // Date fields are the browser's own pickers: they take ISO dates.
  await page.fill('#dateOfBirth', '1985-09-25');
  await page.fill('#phone', '06 2000 0000');
  await page.selectOption('#status', 'active');
  await submit(page);
  const profileUrl = page.url().replace(/\?.*$/, '');
  expect(await page.getByRole('status').innerText()).toContain('De deelnemer is opgeslagen.');

  // A trajectory for UWV.
  await page.locator('a[href$="/trajectories/new"]').first().click();
  await page.selectOption('#commissionerId', { label: 'UWV' });
  await page.fill('#reference', 'TR-7000');
  await page.fill('#startDate', '2026-01-05');
  await page.fill('#grantedHours', '24');
  await submit(page);

  // A placement as a cook, 40 hours a week, with the supervisor.
  await page.locator('a[href$="/placements/new"]').first().click();
  await page.selectOption('#employerId', { label: 'Restaurant De Gouden Lepel (Utrecht)' });
  await page.selectOption('#supervisorContactId', { label: 'Ronald Verbeek (begeleider)' });
  await page.selectOption('#kind', 'paid_job');
  await page.fill('#jobTitle', 'Kok');
  await page.fill('#startDate', '2026-02-01');
  await page.fill('#hoursPerWeek', '40');
  await submit(page);

  // The restaurant closes: pause the placement.
  await page.locator('a[href$="/pause"]').first().click();
  await page.fill('#pauseReason', 'Restaurant gesloten na waterschade');
  await submit(page);

  expect(page.url().replace(/\?.*$/, '')).toBe(profileUrl);
  const profile = await page.locator('main').innerText();
  expect(profile).toContain('Mohamed Ouali');
  expect(profile).toContain('UWV');
  expect(profile).toContain('TR-7000');
  expect(profile).toContain('Kok');
  expect(profile).toContain('Restaurant De Gouden Lepel');
  expect(profile).toContain('Gepauzeerd sinds');
  expect(profile).toContain('Restaurant gesloten na waterschade');
  expect(profile).toContain('0 uur per week');
  expect(await page.locator('a[href="tel:0612345678"]').count()).toBeGreaterThan(0);
  await page.screenshot({ path: path.join(screenshots, 'profile-after-pause.png'), fullPage: true });
  expect(problems).toEqual([]);
  await page.close();
});
