/// <reference lib="dom" />
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { FixedClock } from '../../src/lib/clock';
import { createTestUser, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { launchBrowser, listen } from '../helpers/browser';
import { insertContactMoment, insertParticipant } from '../helpers/fixtures';

// Issue 16's story in Chromium: Mohamed does not answer (one click), asks to be called back in ten
// minutes (one click: "over 10 min"); the page confirms it and the focus moves to the next row. The
// coach turns notifications on with the button; ten minutes later the open page, polling on its
// own, lifts Mohamed to "Nu bellen", announces it and shows a notification with his first name and
// the time. The server's clock is the test's; the page's timers run on playwright's clock.

let t: TestApp;
let server: { baseUrl: string; close(): Promise<void> };
let browser: Browser;
let coach: UserFixture;
let mohamed: number;
let sanne: number;
const clock = new FixedClock('2026-11-23T10:15:00+01:00');
const screenshots = path.resolve(__dirname, '..', '..', 'test-results');

beforeAll(async () => {
  t = await startTestApp({ clock });
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Utrecht', displayName: 'Daan Bakker' });
  mohamed = await insertParticipant(t.database.db, {
    first_name: 'Mohamed',
    last_name: 'Ouali',
    coach_id: coach.id,
    status: 'active',
    phone: '06 2000 0000',
  });
  sanne = await insertParticipant(t.database.db, {
    first_name: 'Sanne',
    last_name: 'Vos',
    coach_id: coach.id,
    status: 'active',
    phone: '06 3000 0000',
  });
  // Both reached before, both planned for this morning: Mohamed at 10:15, Sanne at 11:00.
  for (const [id, time] of [
    [mohamed, '10:15'],
    [sanne, '11:00'],
  ] as const) {
    await insertContactMoment(t.database.db, {
      participant_id: id,
      author_id: coach.id,
      occurred_at: '2026-11-16T10:00:00+01:00',
      channel: 'phone',
      outcome: 'reached',
      duration_minutes: 20,
      summary: 'Afspraak om te bellen.',
      next_contact_date: '2026-11-23',
      next_contact_time: time,
    });
  }
  server = await listen(t.app);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await t?.close();
});

async function signIn(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}/login?next=%2Ftoday`);
  await page.fill('#email', coach.email);
  await page.fill('#password', coach.password);
  await Promise.all([page.waitForURL(`${server.baseUrl}/today`), page.click('main form button[type=submit]')]);
  return page;
}

test('not reached, call back in 10 minutes, then due now: announced and notified by first name and time', async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  // Record what the page hands to the real Notification constructor.
  await context.addInitScript(() => {
    const Real = window.Notification;
    const shown: string[] = [];
    (window as unknown as { shownNotifications: string[] }).shownNotifications = shown;
    class Recorded extends Real {
      constructor(title: string, options?: NotificationOptions) {
        shown.push(title);
        super(title, options);
      }
    }
    Object.defineProperty(window, 'Notification', { value: Recorded, configurable: true, writable: true });
  });
  const page = await signIn(context);
  await page.clock.install({ time: new Date('2026-11-23T10:15:00+01:00') });
  await page.reload();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));

  // 10:15: Mohamed's call is due now, at the top.
  expect(await page.locator('#section-callNow').innerText()).toContain('Mohamed Ouali');
  expect(await page.locator('#section-callNow').innerText()).toContain('gepland om 10:15, nu');

  // Never asked on load: the permission is still to be given, and the button offers it.
  expect(await page.evaluate(() => Notification.permission)).toBe('default');
  const button = page.locator('[data-notify-button]');
  expect(await button.isVisible()).toBe(true);

  // He does not answer: one click. The focus moves on to the next row, Sanne's.
  const row = page.locator(`#participant-${mohamed}`);
  await Promise.all([page.waitForURL(/\/today/), row.locator('button[value="not_reached"]').click()]);
  await page.waitForFunction((id) => document.activeElement?.id === `participant-${id}`, sanne);
  // He calls straight back and asks to be called in ten minutes: one click on the row.
  await Promise.all([
    page.waitForURL(/\/today/),
    page.locator(`#participant-${mohamed} .today-callback button[value="in10min"]`).click(),
  ]);
  await page.waitForFunction(() => document.querySelector('#today-status p')?.textContent?.includes('terugbelverzoek'));
  expect(await page.locator('#today-status').innerText()).toBe(
    'Opgeslagen voor Mohamed Ouali: terugbelverzoek, 0 min. Volgend contact 23-11-2026 om 10:25.',
  );
  // His row is now the last: the focus is on the message, not at the top of the page.
  await page.waitForFunction(() => document.activeElement?.id === 'today-status');
  // Mohamed waits under "Vandaag gepland" at 10:25, not under "opnieuw proberen".
  expect(await page.locator('#section-dueToday').innerText()).toContain('Mohamed Ouali');
  expect(await page.locator('#section-dueToday').innerText()).toContain('gepland om 10:25');
  expect(await page.locator('#section-retry').innerText()).not.toContain('Mohamed');
  await page.screenshot({ path: path.join(screenshots, 'today-call-back-planned.png'), fullPage: true });

  // The coach turns notifications on (Chromium grants them to this origin).
  await context.grantPermissions(['notifications'], { origin: server.baseUrl });
  await button.click();
  await page.waitForFunction(() => !document.querySelector<HTMLElement>('[data-notify-on]')!.hidden);
  expect(await button.isVisible()).toBe(false);

  // 10:25 on the server; 30 seconds pass in the page: it polls, finds the call due and updates itself.
  clock.set('2026-11-23T10:25:00+01:00');
  await page.clock.fastForward(30_000);
  await page.waitForFunction(
    (id) =>
      document.querySelector('#section-callNow')?.textContent?.includes('Mohamed') &&
      document.getElementById(`participant-${id}`),
    mohamed,
  );
  expect(await page.locator('#section-callNow').innerText()).toContain('gepland om 10:25, nu');
  await page.waitForFunction(() => document.querySelector('#today-status')?.textContent?.includes('Nu bellen'));
  expect(await page.locator('#today-status').innerText()).toBe('Nu bellen: Mohamed (10:25).');
  expect(await page.evaluate(() => (window as unknown as { shownNotifications: string[] }).shownNotifications)).toEqual([
    'Nu bellen: Mohamed (10:25)',
  ]);
  await page.screenshot({ path: path.join(screenshots, 'today-call-now.png'), fullPage: true });

  // Hidden, it stops asking: no request while the tab is in the background.
  let polls = 0;
  page.on('request', (request) => {
    if (request.url().endsWith('/today/updates')) polls += 1;
  });
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await page.clock.fastForward(120_000);
  expect(polls).toBe(0);
  expect(problems).toEqual([]);
  await context.close();
});

test('a quick log typed in is not swept away by an update: the page offers a reload instead', async () => {
  clock.set('2026-11-23T10:15:00+01:00');
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await signIn(context);
  await page.clock.install({ time: new Date('2026-11-23T10:15:00+01:00') });
  await page.reload();
  await page.fill(`#summary-${sanne}`, 'Half getypt verslag');
  // Sanne's 11:00 call falls due while the coach types.
  clock.set('2026-11-23T11:00:00+01:00');
  await page.clock.fastForward(30_000);
  await page.waitForFunction(() => !document.querySelector<HTMLElement>('[data-today-changed]')!.hidden);
  expect(await page.inputValue(`#summary-${sanne}`)).toBe('Half getypt verslag');
  await page.screenshot({ path: path.join(screenshots, 'today-phone-changed-while-typing.png'), fullPage: true });
  await context.close();
});

test('a reached call without a summary stays on /today: the message beside the row, what was typed kept', async () => {
  clock.set('2026-11-23T10:16:00+01:00');
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await signIn(context);
  const row = page.locator(`#participant-${sanne}`);
  await row.locator('input[name="durationMinutes"]').fill('25');
  await row.locator('select[name="nextShortcut"]').selectOption('in1week');
  await Promise.all([page.waitForLoadState('domcontentloaded'), row.locator('button[value="reached"]').click()]);
  await page.waitForSelector(`#participant-${sanne}.today-item--error`);
  expect(page.url()).toBe(`${server.baseUrl}/participants/${sanne}/contacts/new`);
  expect(await page.title()).toContain('Vandaag');
  const refused = page.locator(`#participant-${sanne}`);
  expect(await refused.locator('.today-log__errors').innerText()).toContain('Niet opgeslagen voor Sanne Vos');
  expect(await refused.locator('input[name="durationMinutes"]').inputValue()).toBe('25');
  expect(await refused.locator('select[name="nextShortcut"]').inputValue()).toBe('in1week');
  // The summary field has the focus, so the coach types what was discussed and sends again.
  expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('summary');
  await page.keyboard.type('Gesproken, gaat goed.');
  await Promise.all([page.waitForURL(/\/today\?logged=/), refused.locator('button[value="reached"]').click()]);
  // The script says it again (so it is announced) a moment after the page is in.
  await page.waitForFunction(() => document.querySelector('#today-status')?.textContent?.includes('Sanne Vos: bereikt, 25 min.'));
  await page.screenshot({ path: path.join(screenshots, 'today-phone-refused-then-saved.png'), fullPage: false });
  await context.close();
});
