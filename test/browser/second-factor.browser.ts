/// <reference lib="dom" />
// Code passed to page.evaluate() runs in the browser, hence the DOM types here.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { FixedClock } from '../../src/lib/clock';
import { totpCodeAt } from '../../src/mfa/totp';
import { createTestUser, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { launchBrowser, listen } from '../helpers/browser';

// Issue 18 items 1 and 3 in Chromium: a team leader, whose role requires a second factor, signs in
// for the first time, sets up an authenticator app from the QR code page (the codes computed here
// as the app would, with otpauth), keeps the recovery codes, and signs in again with a code.

const clock = new FixedClock('2026-11-23T09:00:00+01:00');
let t: TestApp;
let server: { baseUrl: string; close(): Promise<void> };
let browser: Browser;
let manager: UserFixture;
const screenshots = path.resolve(__dirname, '..', '..', 'test-results');

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  t = await startTestApp({ clock, env: { MFA_REQUIRED_ROLES: 'manager,admin' } });
  manager = await createTestUser(t.database, { role: 'manager', team: 'Team Utrecht', displayName: 'Marloes Jansen' });
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
  page.on('requestfailed', (request) => {
    // A load the browser cancels because the test moved on to the next page (the favicon, say) is no fault.
    if (request.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`${request.url()} ${request.failure()?.errorText}`);
  });
  return problems;
}

async function signInWithPassword(page: Page): Promise<void> {
  await page.goto(`${server.baseUrl}/dashboard`);
  await page.getByLabel('E-mailadres').fill(manager.email);
  await page.getByLabel('Wachtwoord').fill(manager.password);
  await page.locator('form[action="/login"] button[type=submit]').click();
}

test('a team leader sets up an authenticator app at the first sign-in, and signs in with a code afterwards', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const problems = watchProblems(page);
  await signInWithPassword(page);
  await page.waitForURL(`${server.baseUrl}/login/enrol`);
  expect(await page.locator('h1').innerText()).toContain('Stel een tweede factor in');
  // The QR code is an image the app made and the CSP allows: it is drawn.
  const qr = page.locator('.qr-code img');
  expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  const secret = (await page.locator('#totp-key').innerText()).replace(/\s+/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await page.screenshot({ path: path.join(screenshots, 'second-factor-enrol-390.png'), fullPage: true });

  // Nothing else is open until it is done.
  await page.goto(`${server.baseUrl}/dashboard`);
  expect(page.url()).toBe(`${server.baseUrl}/login?next=%2Fdashboard`);
  await page.goto(`${server.baseUrl}/login/enrol`);
  expect((await page.locator('#totp-key').innerText()).replace(/\s+/g, '')).toBe(secret);

  await page.getByLabel('2. Vul de code van zes cijfers in').fill('000000');
  await page.getByRole('button', { name: 'Bevestigen' }).click();
  await page.getByText('Deze code klopt niet').first().waitFor();
  problems.splice(0); // the refused code answers 422 on purpose
  await page.getByLabel('2. Vul de code van zes cijfers in').fill(totpCodeAt(secret, clock.now().toJSDate()));
  await page.getByRole('button', { name: 'Bevestigen' }).click();
  await page.waitForURL(/\/account\/security\/recovery-codes/);
  const codes = await page.locator('.recovery-codes li').allInnerTexts();
  expect(codes).toHaveLength(10);
  await page.screenshot({ path: path.join(screenshots, 'second-factor-recovery-codes-390.png'), fullPage: true });
  await page.getByRole('link', { name: 'Ik heb ze bewaard, ga verder' }).click();
  await page.waitForURL(`${server.baseUrl}/dashboard`);

  // On a phone the sign-out button is in the menu.
  await page.locator('.site-menu > summary').click();
  await page.locator('.site-menu form[action="/logout"] button').click();
  await page.waitForURL(`${server.baseUrl}/login?signedOut=1`);

  clock.advance({ seconds: 30 });
  await signInWithPassword(page);
  await page.waitForURL(`${server.baseUrl}/login/second-factor`);
  await page.getByLabel('Code').fill(totpCodeAt(secret, clock.now().toJSDate()));
  await page.screenshot({ path: path.join(screenshots, 'second-factor-code-390.png'), fullPage: true });
  await page.getByRole('button', { name: 'Aanmelden' }).click();
  await page.waitForURL(`${server.baseUrl}/dashboard`);
  expect(await page.locator('.site-menu .user-badge__name').textContent()).toBe('Marloes Jansen');

  await page.goto(`${server.baseUrl}/account/security`);
  expect(await page.locator('main').innerText()).toContain('Nog 10 ongebruikte codes');
  expect(problems).toEqual([]);
  await context.close();
});
