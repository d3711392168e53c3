/// <reference lib="dom" />
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { FixedClock } from '../../src/lib/clock';
import { createTestUser, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { launchBrowser, listen } from '../helpers/browser';
import { insertContactMoment, insertParticipant } from '../helpers/fixtures';

// Issue 4's "done": the coach opens /today, logs a failed call and then a reached call with a
// wellbeing check; both are on the profile's timeline and the participant leaves "retry".

let t: TestApp;
let server: { baseUrl: string; close(): Promise<void> };
let browser: Browser;
let coach: UserFixture;
let participantId: number;
const clock = new FixedClock('2026-11-23T10:15:00+01:00');
const screenshots = path.resolve(__dirname, '..', '..', 'test-results');

beforeAll(async () => {
  t = await startTestApp({ clock });
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Utrecht', displayName: 'Daan Bakker' });
  participantId = await insertParticipant(t.database.db, {
    first_name: 'Mohamed',
    last_name: 'Ouali',
    coach_id: coach.id,
    status: 'active',
    phone: '06 2000 0000',
  });
  await insertContactMoment(t.database.db, {
    participant_id: participantId,
    author_id: coach.id,
    occurred_at: '2026-11-20T14:00:00+01:00',
    channel: 'phone',
    outcome: 'not_reached',
    duration_minutes: 0,
  });
  server = await listen(t.app);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await t?.close();
});

// Never reached yet: his failed call keeps him under "first contact" until he is (decisions.md).
const retrySection = (page: Page) => page.locator('#section-firstContact');

test('log a failed call from /today, then a reached call with a wellbeing check', async () => {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(`${server.baseUrl}/login?next=%2Ftoday`);
  await page.fill('#email', coach.email);
  await page.fill('#password', coach.password);
  await Promise.all([page.waitForURL(`${server.baseUrl}/today`), page.click('main form button[type=submit]')]);
  expect(await retrySection(page).innerText()).toContain('Mohamed Ouali');

  // A failed call: one click, no summary needed.
  const row = page.locator(`#participant-${participantId}`);
  await Promise.all([page.waitForURL(`${server.baseUrl}/today**`), row.locator('button[value="not_reached"]').click()]);
  expect(await retrySection(page).innerText()).toContain('Mohamed Ouali');
  await page.screenshot({ path: path.join(screenshots, 'today-after-failed-call.png'), fullPage: true });

  // Ten minutes later he calls back: log a reached call with a wellbeing check in the full form.
  clock.advance({ minutes: 10 });
  await page.goto(`${server.baseUrl}/participants/${participantId}/contacts/new?returnTo=%2Ftoday`);
  await page.check('#outcome');
  await page.fill('#summary', 'Teruggebeld. Gaat redelijk; wil graag weer een paar uur werken.');
  await page.check('#wellbeingMood-3');
  await page.check('#wellbeingRhythm-2');
  await page.check('#wellbeingSocial-2');
  await page.check('#wellbeingActivity-1');
  await page.check('#nextShortcut-in1week');
  await Promise.all([page.waitForURL(`${server.baseUrl}/today**`), page.click('main form.form button[type=submit].button')]);
  expect(await retrySection(page).innerText()).not.toContain('Mohamed Ouali');

  await page.goto(`${server.baseUrl}/participants/${participantId}`);
  const timeline = await page.locator('#timeline').innerText();
  expect(timeline).toContain('Teruggebeld. Gaat redelijk');
  expect(timeline).toMatch(/Niet bereikt/);
  expect(timeline).toMatch(/Bereikt/);
  await page.screenshot({ path: path.join(screenshots, 'profile-timeline.png'), fullPage: true });
  expect(problems).toEqual([]);
  await page.close();
});
