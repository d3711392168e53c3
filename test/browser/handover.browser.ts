/// <reference lib="dom" />
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createTestUser, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { launchBrowser, listen } from '../helpers/browser';
import {
  insertCommissioner,
  insertContact,
  insertEmployer,
  insertParticipant,
  insertPlacement,
  referralOrganisation,
} from '../helpers/fixtures';

// Issue 17's handover day in a real browser, as a Flemish OCMW coach: Lien in intake starts her
// OCMW trajectory (she becomes active), her OCMW social worker joins her network, the trajectory
// closes on 20 November with a handover to VDAB (to whom, in the directory), her VDAB
// trajectory (0 hours) starts that day, and the one 60-minute three-way workplace visit of that
// day (with her supervisor and her social worker) counts in the OCMW trajectory only. The test clock stands on 23 November 2026.

let t: TestApp;
let server: { baseUrl: string; close(): Promise<void> };
let browser: Browser;
let coach: UserFixture;
let lien: number;
let ocmw: number;
let vdab: number;
let vdabGent: number;
const screenshots = path.resolve(__dirname, '..', '..', 'test-results');

beforeAll(async () => {
  t = await startTestApp();
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Gent', displayName: 'Lotte Maes' });
  ocmw = await insertCommissioner(t.database.db, { name: 'OCMW Gent', kind: 'ocmw' });
  vdab = await insertCommissioner(t.database.db, { name: 'VDAB', kind: 'vdab' });
  vdabGent = await referralOrganisation(t.database.db, 'VDAB Gent', 'vdab');
  lien = await insertParticipant(t.database.db, {
    first_name: 'Lien',
    last_name: 'Verstraete',
    coach_id: coach.id,
    status: 'intake',
  });
  // Her werkervaring place, with Sofie De Wilde as supervisor: she can take part in a visit.
  const kringwinkel = await insertEmployer(t.database.db, { name: 'Kringwinkel Gent', sector: 'retail', city: 'Gent' });
  const sofie = await insertContact(t.database.db, { employer_id: kringwinkel, name: 'Sofie De Wilde', role: 'supervisor' });
  await insertPlacement(
    t.database.db,
    {
      participant_id: lien,
      employer_id: kringwinkel,
      supervisor_contact_id: sofie,
      kind: 'work_experience',
      job_title: 'Winkelmedewerker',
      start_date: '2026-02-02',
    },
    { hoursPerWeek: 19 },
  );
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

async function startTrajectory(
  page: Page,
  commissionerId: number,
  kind: string,
  reference: string,
  startDate: string,
  hours: string,
) {
  await page.goto(`${server.baseUrl}/participants/${lien}/trajectories/new`);
  await page.selectOption('#commissionerId', String(commissionerId));
  await page.selectOption('#kind', kind);
  await page.fill('#reference', reference);
  await page.fill('#startDate', startDate);
  await page.fill('#grantedHours', hours);
  await submit(page);
}

/** The profile's row of a trajectory, as text. */
async function trajectoryRow(page: Page, commissionerName: string): Promise<string> {
  return page
    .locator('tr', { has: page.locator('td', { hasText: commissionerName }) })
    .first()
    .innerText();
}

test('the handover day: one visit, counted once, in the OCMW trajectory; Lien became active when it started', async () => {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));

  await page.goto(`${server.baseUrl}/login`);
  await page.fill('#email', coach.email);
  await page.fill('#password', coach.password);
  await submit(page);

  await startTrajectory(page, ocmw, 'work_experience', 'OCMW-WE-2026-31', '2026-01-05', '40');
  expect(await page.locator('main').innerText()).toContain('Actief');

  // Her OCMW social worker, the fixed contact person, in her network.
  await page.locator('#network a[href$="/network/new"]').click();
  await page.selectOption('#role', 'fixed_contact');
  await page.fill('#name', 'Els Van Damme');
  await page.fill('#organisation', 'OCMW Gent');
  await submit(page);
  expect(await page.locator('#network').innerText()).toContain('Els Van Damme');

  await Promise.all([page.waitForNavigation(), page.locator('a[href*="/trajectories/"][href$="/close"]').first().click()]);
  await page.fill('#endDate', '2026-11-20');
  await page.selectOption('#outcome', 'handover');
  // A handover says to whom: the receiving organisation from the directory, a person, a note.
  await page.selectOption('#handoverOrganisationId', String(vdabGent));
  await page.fill('#receiverName', 'Jan Peeters');
  await page.fill('#handoverNote', 'Werkt goed met vaste routines; open doel: een opleiding logistiek.');
  await submit(page);
  await startTrajectory(page, vdab, 'jobcoaching', 'VDAB-2026-4411', '2026-11-20', '0');

  // The visit, on a phone: the form offers the choice, left at "the trajectory running that day".
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${server.baseUrl}/participants/${lien}/contacts/new`);
  await page.fill('#occurredDate', '2026-11-20');
  await page.fill('#occurredTime', '10:00');
  const choice = page.locator('#trajectoryId');
  expect(await choice.locator('option').allInnerTexts()).toEqual([
    'Het traject dat op die dag loopt',
    'OCMW Gent · Werkervaringstraject · 05-01-2026 t/m 20-11-2026',
    'VDAB · Jobcoaching · 20-11-2026 t/m nu',
  ]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: path.join(screenshots, 'handover-contact-form-390.png'), fullPage: true });
  await page.selectOption('#channel', 'workplace_visit');
  // A three-way talk: Lien, her supervisor and her OCMW social worker, as one contact moment.
  await page.getByLabel('Sofie De Wilde (begeleider, Kringwinkel Gent)').check();
  await page.getByLabel('Els Van Damme (vaste contactpersoon, OCMW Gent)').check();
  await page.fill('#durationMinutes', '60');
  await page.fill('#summary', 'Werkplekbezoek met Sofie De Wilde: overdracht besproken.');
  await submit(page);

  await page.setViewportSize({ width: 1366, height: 900 });
  await page.goto(`${server.baseUrl}/participants/${lien}`);
  const vdabRow = await trajectoryRow(page, 'VDAB');
  expect(vdabRow).not.toContain('Overschreden');
  expect(vdabRow).toMatch(/VDAB-2026-4411[\s\S]*\b0\b/);
  expect(await trajectoryRow(page, 'OCMW Gent')).toContain('OCMW-WE-2026-31');
  expect(await trajectoryRow(page, 'OCMW Gent')).toContain('Overgedragen aan VDAB Gent (Jan Peeters)');
  expect(await page.locator('#timeline').innerText()).toContain(
    'Met: deelnemer, Els Van Damme (vaste contactpersoon), Sofie De Wilde (begeleider)',
  );
  await page.screenshot({ path: path.join(screenshots, 'handover-profile-1366.png'), fullPage: true });

  const stored = await t.database.db
    .selectFrom('contact_moments')
    .innerJoin('trajectories', 'trajectories.id', 'contact_moments.trajectory_id')
    .select(['trajectories.commissioner_id as commissionerId', 'contact_moments.duration_minutes as minutes'])
    .where('contact_moments.participant_id', '=', lien)
    .execute();
  expect(stored).toEqual([{ commissionerId: ocmw, minutes: 60 }]);
  expect(problems).toEqual([]);
});
