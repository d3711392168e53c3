/// <reference lib="dom" />
// Code passed to page.evaluate() runs in the browser, hence the DOM types here.
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createTestUser, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { launchBrowser } from '../helpers/browser';
import { freePort, startOidcProvider, type TestOidcProvider } from '../helpers/oidc';

// Single sign-on as a person lives it, in Debian's Chromium against a real OpenID provider
// (oidc-provider in a child process): the button on the sign-in page, the provider's own sign-in
// page, and back in InBeeld signed in; someone InBeeld does not know reads why on the sign-in page.

let t: TestApp;
let provider: TestOidcProvider;
let server: http.Server;
let baseUrl: string;
let browser: Browser;
let coach: UserFixture;
const screenshots = path.resolve(__dirname, '..', '..', 'test-results');

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  // The provider must know the app's redirect URI, so the app's port is chosen first.
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  provider = await startOidcProvider({
    redirectUris: [`${baseUrl}/login/oidc/callback`],
    accounts: {
      'sub-daan': { email: 'daan.bakker@example.test', name: 'Daan Bakker (gemeente)' },
      'sub-stranger': { email: 'stranger@example.test', name: 'Onbekend' },
    },
  });
  t = await startTestApp({ env: { PUBLIC_URL: baseUrl, ...provider.env, OIDC_BUTTON_LABEL: 'Aanmelden met Gemeente Utrecht' } });
  coach = await createTestUser(t.database, {
    role: 'coach',
    team: 'Team Utrecht',
    displayName: 'Daan Bakker',
    email: 'daan.bakker@example.test',
  });
  server = http.createServer(t.app);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (server) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  await t?.close();
  await provider?.close();
});

/** Errors of InBeeld's own pages (the provider's development pages are not ours to judge). */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && page.url().startsWith(baseUrl)) problems.push(message.text());
  });
  page.on('pageerror', (error) => {
    if (page.url().startsWith(baseUrl)) problems.push(error.message);
  });
  return problems;
}

async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** On the provider's own sign-in page (oidc-provider's development form): signs in as `login`. */
async function signInAtProvider(page: Page, login: string) {
  await page.waitForURL(new RegExp(`^${provider.issuer}/interaction/`));
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.locator('button[type="submit"]').click();
}

test('the button, the provider, and back in InBeeld signed in; signing out ends the session', async () => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  const problems = watchProblems(page);
  await page.goto(`${baseUrl}/today`);
  await page.waitForURL(`${baseUrl}/login?next=%2Ftoday`);
  const button = page.getByRole('link', { name: 'Aanmelden met Gemeente Utrecht' });
  await button.waitFor();
  await page.screenshot({ path: path.join(screenshots, 'sso-login-1366.png'), fullPage: true });
  await button.click();

  await signInAtProvider(page, 'sub-daan');
  await page.waitForURL(`${baseUrl}/today`);
  expect(await page.locator('.site-header__wide .user-badge__name').innerText()).toBe('Daan Bakker');
  await page.screenshot({ path: path.join(screenshots, 'sso-today-1366.png'), fullPage: true });

  // The identity is bound to the account: later sign-ins find it by the provider's subject.
  const bound = await t.database.db.selectFrom('sso_identities').select('subject').where('user_id', '=', coach.id).execute();
  expect(bound).toEqual([{ subject: 'sub-daan' }]);

  await page.locator('.site-header__wide form[action="/logout"] button').click();
  await page.waitForURL(`${baseUrl}/login?signedOut=1`);
  await page.goto(`${baseUrl}/today`);
  await page.waitForURL(/\/login\?next=/);
  expect(problems).toEqual([]);
  await page.close();
});

test('a person InBeeld does not know reads why on the sign-in page; it fits a phone', async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const problems = watchProblems(page);
  await page.goto(`${baseUrl}/login`);
  expect(await horizontalOverflow(page)).toBe(0);
  await page.screenshot({ path: path.join(screenshots, 'sso-login-390.png'), fullPage: true });
  await page.getByRole('link', { name: 'Aanmelden met Gemeente Utrecht' }).click();
  await signInAtProvider(page, 'sub-stranger');
  await page.waitForURL(`${baseUrl}/login?sso=unknownPerson`);
  await page.getByRole('alert').getByText('InBeeld kent geen actief account met je e-mailadres').waitFor();
  expect(await horizontalOverflow(page)).toBe(0);
  await page.screenshot({ path: path.join(screenshots, 'sso-refused-390.png'), fullPage: true });
  expect(problems).toEqual([]);
  await page.close();
});
