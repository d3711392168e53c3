import type { Browser } from 'playwright-core';
import { FixedClock } from '../../src/lib/clock';
import { totpCodeAt } from '../../src/mfa/totp';
import { createTestUser, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { launchBrowser, listen } from '../helpers/browser';

// Issue 18 item 4 in Chromium: a form post that asks for the second factor again comes back to the
// page the form was on. The step-up guard finds that page in the Referer (src/mfa/step-up.ts
// returnPathOf), which a real browser sends only when the Referrer-Policy lets it (same-origin).

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const clock = new FixedClock('2026-11-23T09:00:00+01:00');
let t: TestApp;
let server: { baseUrl: string; close(): Promise<void> };
let browser: Browser;
let admin: UserFixture;
let coach: UserFixture;

beforeAll(async () => {
  t = await startTestApp({ clock, env: { MFA_REQUIRED_ROLES: 'manager,admin', STEP_UP_MINUTES: '5' } });
  admin = await createTestUser(t.database, { role: 'admin', team: null, displayName: 'Sanne de Vries' });
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Utrecht', displayName: 'Daan Bakker' });
  for (const user of [admin, coach]) {
    await t.database.db.insertInto('user_totp').values({ user_id: user.id, secret: SECRET, last_used_step: null }).execute();
  }
  server = await listen(t.app);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await t?.close();
});

test("an administrator's reset, asked for the second factor again, comes back to its confirmation page", async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}/login`);
  await page.getByLabel('E-mailadres').fill(admin.email);
  await page.getByLabel('Wachtwoord').fill(admin.password);
  await page.locator('form[action="/login"] button[type=submit]').click();
  await page.waitForURL(`${server.baseUrl}/login/second-factor`);
  await page.getByLabel('Code').fill(totpCodeAt(SECRET, clock.now().toJSDate()));
  await page.getByRole('button', { name: 'Aanmelden' }).click();
  await page.waitForURL(`${server.baseUrl}/dashboard`);

  const confirmation = `/admin/users/${coach.id}/second-factor/reset`;
  await page.goto(`${server.baseUrl}${confirmation}`);
  clock.advance({ minutes: 6 });
  await page.getByRole('button', { name: 'Ja, tweede factor wissen' }).click();
  await page.waitForURL(`${server.baseUrl}/login/step-up?next=${encodeURIComponent(confirmation)}`);
  await page.getByLabel('Code').fill(totpCodeAt(SECRET, clock.now().toJSDate()));
  await page.getByRole('button', { name: 'Bevestigen' }).click();
  // Back on the form's page, not the home page: the administrator confirms again and it is done.
  await page.waitForURL(`${server.baseUrl}${confirmation}`);
  await page.getByRole('button', { name: 'Ja, tweede factor wissen' }).click();
  await page.waitForURL(`${server.baseUrl}/admin/users/${coach.id}?done=factorReset`);
  expect(await t.database.db.selectFrom('user_totp').select('user_id').where('user_id', '=', coach.id).execute()).toEqual([]);
  await context.close();
});
