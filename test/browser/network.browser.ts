/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { FixedClock } from '../../src/lib/clock';
import { createTestUser, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { launchBrowser, listen } from '../helpers/browser';
import { insertContact, insertEmployer, insertParticipant, insertPlacement } from '../helpers/fixtures';

// The OCMW coach's network and consent, in a real browser on a phone-sized screen: record the
// social worker as fixed contact person, log a three-way workplace visit with the supervisor and
// the social worker, record the review consent, and see it all on the profile.

let t: TestApp;
let server: { baseUrl: string; close(): Promise<void> };
let browser: Browser;
let coach: UserFixture;
let participantId: number;

beforeAll(async () => {
  t = await startTestApp({ clock: new FixedClock('2026-11-23T10:00:00+01:00') });
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Gent', displayName: 'Lotte Maes' });
  const db = t.database.db;
  participantId = await insertParticipant(db, { first_name: 'Lien', last_name: 'Claes', coach_id: coach.id, status: 'active' });
  const employer = await insertEmployer(db, { name: 'Kringwinkel Gent', sector: 'retail', city: 'Gent' });
  const supervisor = await insertContact(db, { employer_id: employer, name: 'Sofie De Wilde', role: 'supervisor' });
  await insertPlacement(
    db,
    {
      participant_id: participantId,
      employer_id: employer,
      supervisor_contact_id: supervisor,
      kind: 'work_experience',
      job_title: 'Winkelmedewerker',
      start_date: '2026-09-01',
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

test('network, a three-way visit and consent, on a 390 px screen', async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  // The refused form answers 422 on purpose; the browser logs that as a failed resource.
  page.on('console', (message) => message.type() === 'error' && !message.text().includes('422') && problems.push(message.text()));
  const profile = `${server.baseUrl}/participants/${participantId}`;

  await page.goto(`${server.baseUrl}/login`);
  await page.fill('#email', coach.email);
  await page.fill('#password', coach.password);
  await submit(page);

  await page.goto(profile);
  await page.locator('#network a[href$="/network/new"]').click();
  await page.selectOption('#role', 'fixed_contact');
  await page.fill('#name', 'Els Van Damme');
  await submit(page);
  // The organisation is required for a fixed contact person: the message says so and keeps the name.
  expect(await page.locator('.error-summary').innerText()).toContain('Vul de organisatie in');
  expect(await page.inputValue('#name')).toBe('Els Van Damme');
  await page.fill('#organisation', 'OCMW Gent');
  await page.fill('#phone', '09 266 12 34');
  await submit(page);
  expect(await page.getByRole('status').innerText()).toContain('De persoon is toegevoegd aan het netwerk.');
  expect(await page.locator('#network').innerText()).toContain('Els Van Damme');

  await page.locator('#timeline a[href$="/contacts/new"]').click();
  await page.fill('#occurredTime', '09:00');
  await page.selectOption('#channel', 'workplace_visit');
  await page.getByLabel('Sofie De Wilde (begeleider, Kringwinkel Gent)').check();
  await page.getByLabel('Els Van Damme (vaste contactpersoon, OCMW Gent)').check();
  await page.fill('#summary', 'Driegesprek op de werkvloer over het rooster.');
  await submit(page);
  expect(await page.locator('#timeline').innerText()).toContain(
    'Met: deelnemer, Els Van Damme (vaste contactpersoon), Sofie De Wilde (begeleider)',
  );

  await page.locator('#consents a[href$="purpose=quality_review"]').click();
  await submit(page);
  expect(await page.locator('#consent-quality_review').innerText()).toContain(
    'Gegeven op 23-11-2026 (vastgelegd door Lotte Maes)',
  );

  // Nothing on these sections is wider than the phone.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  expect(overflow).toBe(false);
  expect(problems).toEqual([]);
});
