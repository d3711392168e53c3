/// <reference lib="dom" />
import http from 'node:http';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { FixedClock } from '../../src/lib/clock';
import { createTestUser, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { launchBrowser } from '../helpers/browser';

// Passkeys in Debian's Chromium with the DevTools protocol's virtual authenticator (CTAP2, resident
// keys, user verification): a coach adds a passkey on their passkeys page, signs out and signs in
// again with the passkey alone. WebAuthn refuses IP origins, so the app is served at
// http://localhost:PORT and PUBLIC_URL says so (the relying party is `localhost`). Then the password
// is followed by the second step, which the passkey answers too.

const PORT = Number(process.env.PASSKEY_BROWSER_PORT ?? 3121);
const BASE = `http://localhost:${PORT}`;
const screenshots = process.env.SCREENSHOT_DIR ?? path.resolve(__dirname, '..', '..', 'test-results');

let t: TestApp;
let server: http.Server;
let browser: Browser;
let coach: UserFixture;

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  t = await startTestApp({ env: { PUBLIC_URL: BASE } });
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Utrecht', displayName: 'Daan Bakker' });
  server = http.createServer(t.app);
  await new Promise<void>((resolve) => server.listen(PORT, '127.0.0.1', () => resolve()));
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
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

/** A page with a virtual platform authenticator that holds resident keys and verifies its user. */
async function pageWithAuthenticator(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return page;
}

async function signInWithPassword(page: Page, user: UserFixture): Promise<void> {
  await page.goto(`${BASE}/login`);
  await page.getByLabel('E-mailadres').fill(user.email);
  await page.getByLabel('Wachtwoord').fill(user.password);
  await page.locator('form[action="/login"] button[type=submit]').click();
  await page.waitForURL(`${BASE}/today`);
}

test('a coach adds a passkey on the security page, signs in with it alone, and with it as the second step', async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await pageWithAuthenticator(context);
  const problems = watchProblems(page);
  await signInWithPassword(page, coach);

  await page.goto(`${BASE}/account/security`);
  expect(await page.getByText('Je hebt nog geen passkey.').isVisible()).toBe(true);
  // The script found passkey support: the form shows, the "needs JavaScript" text does not.
  expect(await page.getByText('kan alleen in een browser met JavaScript').isVisible()).toBe(false);
  await page.getByLabel('Naam van de passkey').fill('Werklaptop');
  await page.getByRole('button', { name: 'Passkey toevoegen' }).click();
  // The first second factor comes with ten recovery codes, shown once.
  await page.waitForURL(/\/account\/security\/recovery-codes/);
  expect(await page.locator('ol.recovery-codes li').count()).toBe(10);
  await page.screenshot({ path: path.join(screenshots, 'passkeys-recovery-codes-1366.png'), fullPage: true });
  await page.locator('main a.button').click();
  await page.waitForURL(`${BASE}/account/security?done=passkeyAdded#passkeys`);
  expect(await page.getByRole('status').innerText()).toContain('Je passkey is toegevoegd');
  const row = page.locator('#passkeys tbody tr');
  expect(await row.count()).toBe(1);
  expect(await row.innerText()).toContain('Werklaptop');
  expect(await row.innerText()).toContain('Nog niet gebruikt');
  await page.screenshot({ path: path.join(screenshots, 'passkeys-list-1366.png'), fullPage: true });

  await page.getByRole('button', { name: 'Afmelden' }).click();
  await page.waitForURL(`${BASE}/login?signedOut=1`);
  await page.screenshot({ path: path.join(screenshots, 'passkeys-sign-in-1366.png'), fullPage: true });
  await page.getByRole('button', { name: 'Aanmelden met een passkey' }).click();
  await page.waitForURL(`${BASE}/today`);
  expect(await page.locator('header').innerText()).toContain('Daan Bakker');

  await page.goto(`${BASE}/account/security`);
  expect(await page.locator('#passkeys tbody tr').innerText()).not.toContain('Nog niet gebruikt');
  const audit = await t.database.db
    .selectFrom('audit_events')
    .select('details')
    .where('action', '=', 'login')
    .where('actor_user_id', '=', coach.id)
    .execute();
  expect(audit.map((event) => event.details)).toContainEqual({ method: 'passkey' });

  // With a passkey, the password is followed by the second step, which the passkey answers.
  await page.getByRole('button', { name: 'Afmelden' }).click();
  await page.waitForURL(`${BASE}/login?signedOut=1`);
  await page.getByLabel('E-mailadres').fill(coach.email);
  await page.getByLabel('Wachtwoord').fill(coach.password);
  await page.locator('form[action="/login"] button[type=submit]').click();
  await page.waitForURL(`${BASE}/login/second-factor`);
  await page.screenshot({ path: path.join(screenshots, 'passkeys-second-step-1366.png'), fullPage: true });
  await page.getByRole('button', { name: 'Bevestigen met een passkey' }).click();
  await page.waitForURL(`${BASE}/today`);
  expect(await page.locator('header').innerText()).toContain('Daan Bakker');

  expect(problems).toEqual([]);

  // An hour and more later, adding another passkey asks for the one there first, then goes ahead.
  (t.clock as FixedClock).advance({ minutes: 61 });
  await page.goto(`${BASE}/account/security`);
  await page.getByLabel('Naam van de passkey').fill('Telefoon');
  await page.getByRole('button', { name: 'Passkey toevoegen' }).click();
  await page.waitForURL(`${BASE}/login/step-up?next=${encodeURIComponent('/account/security')}`);
  // The options request answered 403 with where to go, which the browser logs as a failed load.
  expect(problems.splice(0)).toEqual([expect.stringContaining('403')]);
  await page.getByRole('button', { name: 'Bevestigen met een passkey' }).click();
  await page.waitForURL(`${BASE}/account/security`);
  await page.getByLabel('Naam van de passkey').fill('Telefoon');
  const [options] = await Promise.all([
    page.waitForResponse((response) => response.url().endsWith('/account/passkeys/options')),
    page.getByRole('button', { name: 'Passkey toevoegen' }).click(),
  ]);
  expect(options.status()).toBe(200);
  // This virtual authenticator holds the first passkey, so it declines a second one for the same
  // account (excludeCredentials), and the page says the passkey was not added.
  await page.locator('[data-passkey-message]:not([hidden])').first().waitFor();
  expect(problems).toEqual([]);
  await context.close();
});

test('on a phone-sized screen the passkeys page and the sign-in page fit, and without JavaScript they say what is needed', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await pageWithAuthenticator(context);
  // Someone without a passkey yet (the coach above has one, so their password is followed by the second step).
  const newcomer = await createTestUser(t.database, { role: 'coach', team: 'Team Utrecht' });
  await signInWithPassword(page, newcomer);
  await page.goto(`${BASE}/account/security`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: path.join(screenshots, 'passkeys-list-390.png'), fullPage: true });
  await context.close();

  const noScript = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
  const plain = await noScript.newPage();
  await plain.goto(`${BASE}/login`);
  expect(await plain.getByText('Aanmelden met een passkey kan alleen in een browser met JavaScript').isVisible()).toBe(true);
  expect(await plain.getByRole('button', { name: 'Aanmelden met een passkey' }).isVisible()).toBe(false);
  await plain.screenshot({ path: path.join(screenshots, 'passkeys-sign-in-nojs-390.png'), fullPage: true });
  await noScript.close();
});
