import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { FixedClock } from '../../src/lib/clock';
import { findRiskStateDifferences } from '../../src/risk/state';
import { createTestUser, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { launchBrowser, listen } from '../helpers/browser';
import { insertCommissioner } from '../helpers/fixtures';

// Issue 19, items 1–3, as an administrator lives them in a browser without JavaScript: she uploads
// the caseload an organisation brings along as an Excel file; the dry run lists the one broken row
// by row and column; she fixes the file, uploads it again, sees three to create, imports, and finds
// the participants in the list. On a 390 px phone, nothing overflows.

const clock = new FixedClock('2026-11-23T10:15:00+01:00');
let t: TestApp;
let server: { baseUrl: string; close(): Promise<void> };
let browser: Browser;
let admin: UserFixture;
const folder = mkdtempSync(path.join(os.tmpdir(), 'inbeeld-import-'));
const screenshots = path.resolve(__dirname, '..', '..', 'test-results');

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  t = await startTestApp({ clock });
  admin = await createTestUser(t.database, { role: 'admin', displayName: 'Ada Beheer' });
  await createTestUser(t.database, { role: 'coach', team: 'Team Noord', email: 'lotte@example.test' });
  await insertCommissioner(t.database.db, { name: 'Gemeente Zwolle', kind: 'municipality' });
  server = await listen(t.app);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await t?.close();
  rmSync(folder, { recursive: true, force: true });
});

async function caseload(brokenDate: string): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Caseload');
  sheet.addRow(['Referentie', 'Voornaam', 'Achternaam', 'Geboortedatum', 'Jobcoach (e-mail)', 'Opdrachtgever', 'Start traject']);
  sheet.addRow(['ZW-101', 'Noor', 'Visser', '12-04-1991', 'lotte@example.test', 'Gemeente Zwolle', '01-11-2026']);
  sheet.addRow(['ZW-102', 'Youssef', 'El Amrani', brokenDate, 'lotte@example.test', 'Gemeente Zwolle', '01-11-2026']);
  sheet.addRow(['ZW-103', 'Mila', 'de Boer', '30-06-2000', 'lotte@example.test', '', '']);
  const file = path.join(folder, `caseload-${brokenDate.replace(/\W/g, '')}.xlsx`);
  writeFileSync(file, Buffer.from(await workbook.xlsx.writeBuffer()));
  return file;
}

async function overflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

test('upload, dry run with a problem, fixed file, import: without JavaScript, on a phone', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}/login`);
  await page.getByLabel('E-mailadres').fill(admin.email);
  await page.getByLabel('Wachtwoord').fill(admin.password);
  await page.getByRole('button', { name: 'Aanmelden' }).click();
  await page.waitForURL(`${server.baseUrl}/dashboard`);

  await page.goto(`${server.baseUrl}/admin/import`);
  await page.getByLabel('Deelnemers').check();
  await page.getByLabel('Bestand', { exact: false }).setInputFiles(await caseload('31-02-1988'));
  await page.getByRole('button', { name: 'Bestand controleren' }).click();
  await page.waitForURL(`${server.baseUrl}/admin/import/preview`);
  await expect(page.getByText('Dit is een proefrun').isVisible()).resolves.toBe(true);
  const problem = page.locator('.import-problems tbody tr');
  expect(await problem.count()).toBe(1);
  expect(await problem.first().innerText()).toContain('Rij 3');
  expect(await problem.first().innerText()).toContain('Geboortedatum');
  expect(await problem.first().innerText()).toContain('Ongeldige datum "31-02-1988"');
  expect(await page.getByRole('button', { name: 'Importeren' }).count()).toBe(0);
  expect(await overflow(page)).toBe(0);
  await page.screenshot({ path: path.join(screenshots, 'import-preview-problem-390.png'), fullPage: true });
  // The note on how long the file is kept stands apart from the table above it, on a phone and at 1366 px.
  for (const width of [390, 1366]) {
    await page.setViewportSize({ width, height: 900 });
    const gap = await page.evaluate(() => {
      const table = document.querySelector('.import-problems .table-wrap')!.getBoundingClientRect();
      const note = Array.from(document.querySelectorAll('p')).find((p) => p.textContent.includes('blijft een uur bewaard'))!;
      return note.getBoundingClientRect().top - table.bottom;
    });
    expect([width, gap >= 16]).toEqual([width, true]);
  }
  await page.screenshot({ path: path.join(screenshots, 'import-preview-problem-1366.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 900 });

  await page.getByRole('button', { name: 'Ander bestand kiezen' }).click();
  await page.waitForURL(/\/admin\/import\?done=discarded/);
  await page.getByLabel('Deelnemers').check();
  await page.getByLabel('Bestand', { exact: false }).setInputFiles(await caseload('28-02-1988'));
  await page.getByRole('button', { name: 'Bestand controleren' }).click();
  await page.waitForURL(`${server.baseUrl}/admin/import/preview`);
  expect(await page.locator('[data-count="create"]').innerText()).toBe('3');
  await page.screenshot({ path: path.join(screenshots, 'import-preview-ok-390.png'), fullPage: true });
  await page.getByRole('button', { name: 'Importeren' }).click();
  await page.waitForURL(/\/admin\/import\/batches\/\d+\?done=imported/);
  await expect(page.getByText('De import is klaar.').isVisible()).resolves.toBe(true);
  expect(await page.locator('[data-count="created"]').innerText()).toBe('3');
  expect(await overflow(page)).toBe(0);

  await page.goto(`${server.baseUrl}/participants?status=all`);
  for (const name of ['Noor', 'Youssef', 'Mila']) await expect(page.getByText(name).first().isVisible()).resolves.toBe(true);
  expect(await findRiskStateDifferences(t.database.db, clock.now(), 'Europe/Amsterdam')).toEqual([]);
  await context.close();
});
