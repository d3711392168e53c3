import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { FixedClock } from '../../src/lib/clock';
import { createTestUser, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { launchBrowser, listen } from '../helpers/browser';
import { insertParticipant, referralOrganisation } from '../helpers/fixtures';

// Issue 17, items 6 and 7, as a Flemish OCMW coach lives them, in a browser without JavaScript: her
// team reads Flemish terms (its default language nl-BE, no choice of her own); she refers Lien to
// schuldbemiddeling at an organisation not yet in the directory, adding it in place (a first try
// without its kind comes back with everything typed); the follow-up due today is on /today until
// she marks it followed up. On a 390 px phone, nothing overflows.

const clock = new FixedClock('2026-11-23T10:15:00+01:00');
let t: TestApp;
let server: { baseUrl: string; close(): Promise<void> };
let browser: Browser;
let coach: UserFixture;
let lien: number;
const screenshots = path.resolve(__dirname, '..', '..', 'test-results');

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  t = await startTestApp({ clock });
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Gent', displayName: 'Lotte Maes', locale: null });
  await t.database.db.updateTable('teams').set({ default_locale: 'nl-BE' }).where('name', '=', 'Team Gent').execute();
  await referralOrganisation(t.database.db, 'OCMW Gent – sociale dienst', 'ocmw_social_work');
  lien = await insertParticipant(t.database.db, {
    first_name: 'Lien',
    last_name: 'De Smet',
    coach_id: coach.id,
    status: 'active',
  });
  server = await listen(t.app);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await t?.close();
});

async function overflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

test('a referral with an organisation added in place, followed up from /today, without JavaScript, in Flemish terms', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}/login`);
  await page.getByLabel('E-mailadres').fill(coach.email);
  await page.getByLabel('Wachtwoord').fill(coach.password);
  await page.getByRole('button', { name: 'Aanmelden', exact: true }).click();
  await page.waitForURL(`${server.baseUrl}/today`);
  expect(await page.getAttribute('html', 'lang')).toBe('nl-BE');

  await page.goto(`${server.baseUrl}/participants/${lien}/referrals/new`);
  await page.getByLabel('Soort hulp').selectOption({ label: 'Schuldbemiddeling' });
  await page.getByLabel('Organisatie uit de verwijsgids').selectOption('new');
  await page.locator('summary', { hasText: 'Nieuwe organisatie toevoegen' }).click();
  await page.getByLabel('Naam van de nieuwe organisatie').fill('CAW Oost-Vlaanderen – schuldbemiddeling');
  await page.getByLabel('Regio').fill('Gent');
  await page.getByLabel('Reden van de verwijzing').fill('Facturen stapelen zich op; budgetbegeleiding gevraagd.');
  await page.getByLabel('Opvolgen op').fill('2026-11-23');
  await page.getByRole('button', { name: 'Verwijzing opslaan' }).click();

  // Refused for the missing kind: everything typed is still there, the new organisation's fields open.
  await expect(page.getByText('Kies de soort van de nieuwe organisatie.').first().isVisible()).resolves.toBe(true);
  expect(await page.getByLabel('Naam van de nieuwe organisatie').inputValue()).toBe('CAW Oost-Vlaanderen – schuldbemiddeling');
  expect(await page.getByLabel('Reden van de verwijzing').inputValue()).toContain('budgetbegeleiding');
  expect(await page.getByLabel('Opvolgen op').inputValue()).toBe('2026-11-23');
  expect(await overflow(page)).toBeLessThanOrEqual(0);
  await page.getByLabel('Soort organisatie').selectOption({ label: 'Schuldbemiddeling' });
  await page.getByRole('button', { name: 'Verwijzing opslaan' }).click();
  await page.waitForURL(/\/participants\/\d+\?done=referralCreated#referrals$/);
  await expect(page.locator('#referrals').innerText()).resolves.toContain('CAW Oost-Vlaanderen – schuldbemiddeling');

  // Due today: on /today, until followed up.
  await page.goto(`${server.baseUrl}/today`);
  const followUps = page.locator('#follow-ups');
  await expect(followUps.innerText()).resolves.toContain('Schuldbemiddeling bij CAW Oost-Vlaanderen – schuldbemiddeling');
  expect(await overflow(page)).toBeLessThanOrEqual(0);
  await followUps.screenshot({ path: path.join(screenshots, 'referral-follow-up-390.png') });
  await followUps.getByRole('button', { name: /is opgevolgd/ }).click();
  await page.waitForURL(`${server.baseUrl}/today#follow-ups`);
  expect(await page.locator('#follow-ups').count()).toBe(0);

  // The directory lists the new entry, for everyone.
  await page.goto(`${server.baseUrl}/directory?q=schuldbemiddeling`);
  await expect(page.locator('table').innerText()).resolves.toContain('Gent');
  expect(await overflow(page)).toBeLessThanOrEqual(0);
  await context.close();
});
