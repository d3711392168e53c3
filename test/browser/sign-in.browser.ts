/// <reference lib="dom" />
// Code passed to page.evaluate() runs in the browser, hence the DOM types here.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createTestUser, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { launchBrowser, listen } from '../helpers/browser';

let t: TestApp;
let server: { baseUrl: string; close(): Promise<void> };
let browser: Browser;
let coach: UserFixture;
let admin: UserFixture;
const screenshots = path.resolve(__dirname, '..', '..', 'test-results');

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  t = await startTestApp({ env: { ORGANISATION_NAME: 'Werkpunt Noord' } });
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Utrecht', displayName: 'Daan Bakker' });
  admin = await createTestUser(t.database, { role: 'admin', displayName: 'Sanne de Vries' });
  server = await listen(t.app);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await t?.close();
});

/** Collects what the browser complains about: CSP violations, failed requests, script errors. */
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

test('a coach signs in through the form, lands on Today, switches to English and signs out', async () => {
  const page = await browser.newPage();
  const problems = watchProblems(page);
  await page.goto(`${server.baseUrl}/today`);
  expect(page.url()).toBe(`${server.baseUrl}/login?next=%2Ftoday`);

  await page.getByLabel('E-mailadres').fill(coach.email);
  await page.getByLabel('Wachtwoord').fill('wrong password');
  await page.getByRole('button', { name: 'Aanmelden', exact: true }).click();
  await page.getByText('horen niet bij een actief account').waitFor();
  // The refused sign-in answers 401 on purpose; the browser reports that as a failed load.
  problems.splice(0);
  expect(await page.getByLabel('E-mailadres').inputValue()).toBe(coach.email);

  await page.getByLabel('Wachtwoord').fill(coach.password);
  await page.getByRole('button', { name: 'Aanmelden', exact: true }).click();
  await page.waitForURL(`${server.baseUrl}/today`);
  expect(await page.locator('h1').innerText()).toContain('Vandaag');
  expect(await page.locator('header').innerText()).toContain('Daan Bakker');
  expect(await page.locator('header').innerText()).toContain('Team Utrecht');
  // The stylesheet is served by the app and applied (no CDN, CSP allows it).
  const headerBackground = await page.locator('header.site-header').evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(headerBackground).toBe('rgb(8, 68, 102)');
  await page.screenshot({ path: path.join(screenshots, 'today-coach-nl.png'), fullPage: true });

  await page.getByRole('button', { name: 'EN', exact: true }).click();
  await page.waitForURL(`${server.baseUrl}/today`);
  expect(await page.locator('html').getAttribute('lang')).toBe('en');
  expect(await page.locator('h1').innerText()).toContain('Today');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${server.baseUrl}/login?signedOut=1`);
  expect(await page.locator('body').innerText()).toContain('You have signed out.');
  expect(problems).toEqual([]);
  await page.close();
});

test('an administrator deactivates a coach after confirming, on a narrow screen', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(`${server.baseUrl}/login`);
  await page.getByLabel('E-mailadres').fill(admin.email);
  await page.getByLabel('Wachtwoord').fill(admin.password);
  await page.getByRole('button', { name: 'Aanmelden', exact: true }).click();
  await page.waitForURL(`${server.baseUrl}/dashboard`);
  // On a phone the navigation is behind the header's menu.
  await page.locator('summary.site-menu__toggle').click();
  await page.getByRole('link', { name: 'Gebruikers' }).click();
  await page.getByRole('link', { name: 'Daan Bakker' }).click();
  await page.getByRole('link', { name: 'Deactiveren' }).click();
  expect(await page.locator('h1').innerText()).toBe('Daan Bakker deactiveren?');
  await page.screenshot({ path: path.join(screenshots, 'deactivate-confirm-mobile.png'), fullPage: true });
  await page.getByRole('button', { name: 'Ja, deactiveren' }).click();
  await page.waitForURL(`${server.baseUrl}/admin/users/${coach.id}?done=deactivated`);
  expect(await page.getByRole('status').innerText()).toContain('gedeactiveerd');
  await page.screenshot({ path: path.join(screenshots, 'users-mobile.png'), fullPage: true });
  // No horizontal scrolling on a phone-sized screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  expect(problems).toEqual([]);
  await context.close();
});
