import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { FixedClock } from '../../src/lib/clock';
import { createTestUser, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { launchBrowser, listen } from '../helpers/browser';
import { insertCommissioner, insertParticipant, insertTrajectory, referralOrganisation } from '../helpers/fixtures';

// Issue 17, item 8, as a Flemish OCMW coach lives it: Lien's werkervaringstraject ends in a handover
// to VDAB. With JavaScript the handover's fields appear once "handover" is the outcome; a first try
// without the contact person comes back with everything typed; then the profile names the handover,
// its page offers the PDF, and "start the next trajectory" opens the form on the handover date with
// VDAB as commissioner. On a 390 px phone, nothing overflows.

const clock = new FixedClock('2026-11-23T10:15:00+01:00');
let t: TestApp;
let server: { baseUrl: string; close(): Promise<void> };
let browser: Browser;
let coach: UserFixture;
let lien: number;
let vdab: number;
const screenshots = path.resolve(__dirname, '..', '..', 'test-results');

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  t = await startTestApp({ clock });
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Gent', displayName: 'Lotte Maes', locale: null });
  await t.database.db.updateTable('teams').set({ default_locale: 'nl-BE' }).where('name', '=', 'Team Gent').execute();
  await referralOrganisation(t.database.db, 'VDAB Gent', 'vdab');
  const ocmw = await insertCommissioner(t.database.db, { name: 'OCMW Gent', kind: 'ocmw' });
  vdab = await insertCommissioner(t.database.db, { name: 'VDAB', kind: 'vdab' });
  lien = await insertParticipant(t.database.db, {
    first_name: 'Lien',
    last_name: 'De Smet',
    coach_id: coach.id,
    status: 'active',
  });
  await insertTrajectory(t.database.db, {
    participant_id: lien,
    commissioner_id: ocmw,
    kind: 'work_experience',
    reference: 'OCMW-G-6014',
    start_date: '2025-11-24',
    granted_hours: 60,
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

test('a trajectory closed as a handover to VDAB, then the next trajectory from it, on a phone', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}/login`);
  await page.getByLabel('E-mailadres').fill(coach.email);
  await page.getByLabel('Wachtwoord').fill(coach.password);
  await page.getByRole('button', { name: 'Aanmelden', exact: true }).click();
  await page.waitForURL(`${server.baseUrl}/today`);

  await page.goto(`${server.baseUrl}/participants/${lien}`);
  await page.getByRole('link', { name: 'Traject van OCMW Gent afsluiten' }).click();
  const fields = page.locator('fieldset.handover-fields');
  await expect(fields.isVisible()).resolves.toBe(false);
  await page.locator('#endDate').fill('2026-11-20');
  await page.locator('#outcome').selectOption('handover');
  await expect(fields.isVisible()).resolves.toBe(true);
  await expect(page.getByText('Geen medische informatie').isVisible()).resolves.toBe(true);
  await page.getByLabel('Ontvangende organisatie', { exact: true }).selectOption({ label: 'VDAB Gent' });
  await page.getByLabel('Overdrachtsnotitie').fill('Werkt goed met vaste routines. Afspraak: intake bij VDAB op maandag.');
  await page.getByRole('button', { name: 'Ja, traject afsluiten' }).click();

  // Refused for the missing contact person: the fields stay open with everything typed.
  await expect(page.getByText('Vul de naam van de contactpersoon in.').first().isVisible()).resolves.toBe(true);
  await expect(fields.isVisible()).resolves.toBe(true);
  expect(await page.getByLabel('Overdrachtsnotitie').inputValue()).toContain('vaste routines');
  expect(await overflow(page)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: path.join(screenshots, 'handover-close-390.png'), fullPage: true });
  await page.getByLabel('Contactpersoon bij de ontvangende organisatie').fill('Jan Peeters');
  await page.getByRole('button', { name: 'Ja, traject afsluiten' }).click();
  await page.waitForURL(/\/participants\/\d+\?done=trajectoryClosed$/);
  await expect(page.getByText('Overgedragen aan VDAB Gent (Jan Peeters) op 20/11/2026').isVisible()).resolves.toBe(true);

  await page.getByRole('link', { name: 'Overdracht aan VDAB Gent bekijken' }).click();
  await expect(page.getByRole('link', { name: 'Overdracht als PDF' }).isVisible()).resolves.toBe(true);
  expect(await overflow(page)).toBeLessThanOrEqual(0);
  await page.getByRole('link', { name: 'Volgend traject starten' }).click();
  expect(await page.locator('#startDate').inputValue()).toBe('2026-11-20');
  expect(await page.locator('#commissionerId').inputValue()).toBe(String(vdab));
  await context.close();
});
