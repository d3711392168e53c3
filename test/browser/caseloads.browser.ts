/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import { FixedClock } from '../../src/lib/clock';
import { createTestUser, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { launchBrowser, listen } from '../helpers/browser';
import { insertCommissioner, insertContactMoment, insertParticipant, insertTrajectory } from '../helpers/fixtures';
import { refreshStoredRiskStates } from '../helpers/risk-state';

// A manager opens /dashboard/caseloads: the trend chart is drawn by Chart.js (no console errors,
// no CSP violations) and the table beneath it has the same figures.

let t: TestApp;
let server: { baseUrl: string; close(): Promise<void> };
let browser: Browser;
let manager: UserFixture;
const clock = new FixedClock('2026-11-23T10:00:00+01:00');

beforeAll(async () => {
  t = await startTestApp({ clock });
  manager = await createTestUser(t.database, { role: 'manager', team: 'Team Noord' });
  const coach = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Anna Aalders' });
  const team = await t.database.db.selectFrom('teams').select('id').where('name', '=', 'Team Noord').executeTakeFirstOrThrow();
  const commissionerId = await insertCommissioner(t.database.db, { name: 'Gemeente Test', kind: 'municipality' });
  const ids: number[] = [];
  for (const lastName of ['Een', 'Twee', 'Drie']) {
    const id = await insertParticipant(t.database.db, {
      first_name: 'Deelnemer',
      last_name: lastName,
      coach_id: coach.id,
      status: 'active',
    });
    await insertTrajectory(t.database.db, {
      participant_id: id,
      commissioner_id: commissionerId,
      kind: 'jobcoaching',
      start_date: '2026-09-01',
      granted_hours: 40,
    });
    ids.push(id);
  }
  await insertContactMoment(t.database.db, {
    participant_id: ids[0]!,
    author_id: coach.id,
    occurred_at: '2026-11-20T11:00:00+01:00',
    channel: 'phone',
    outcome: 'reached',
    summary: 'Gesproken.',
  });
  const snapshot = (date: string, index: number, level: 'none' | 'amber' | 'red') => ({
    snapshot_date: date,
    participant_id: ids[index]!,
    coach_id: coach.id,
    team_id: team.id,
    level,
    signals: '[]',
  });
  await t.database.db
    .insertInto('risk_snapshots')
    .values([
      snapshot('2026-11-09', 0, 'amber'),
      snapshot('2026-11-16', 0, 'red'),
      snapshot('2026-11-16', 1, 'amber'),
      snapshot('2026-11-23', 0, 'none'),
      snapshot('2026-11-23', 1, 'red'),
      snapshot('2026-11-23', 2, 'red'),
    ])
    .execute();
  // The fixtures went straight into the tables: bring the stored risk state the page lists from in step.
  await refreshStoredRiskStates(t);
  server = await listen(t.app);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await t?.close();
});

test('the trend chart is drawn and agrees with its table', async () => {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) problems.push(message.text());
  });
  await page.goto(`${server.baseUrl}/login?next=%2Fdashboard%2Fcaseloads`);
  await page.fill('#email', manager.email);
  await page.fill('#password', manager.password);
  await Promise.all([page.waitForURL(`${server.baseUrl}/dashboard/caseloads`), page.click('main form button[type=submit]')]);
  await page.evaluate(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { cspViolations: string[] }).cspViolations ??= [];
      (window as unknown as { cspViolations: string[] }).cspViolations.push(event.violatedDirective);
    });
  });

  await page.waitForSelector('#caseload-trend[data-drawn="true"] canvas#caseload-trend-chart');
  const canvas = page.locator('#caseload-trend-chart');
  expect(await canvas.getAttribute('aria-label')).toContain('Anna Aalders');
  expect(await canvas.isVisible()).toBe(true);
  // Something was painted: the canvas has non-transparent pixels.
  const painted = await canvas.evaluate((element) => {
    const context = (element as HTMLCanvasElement).getContext('2d')!;
    const { width, height } = element as HTMLCanvasElement;
    const pixels = context.getImageData(0, 0, width, height).data;
    let count = 0;
    for (let index = 3; index < pixels.length; index += 4) if (pixels[index]! > 0) count += 1;
    return count;
  });
  expect(painted).toBeGreaterThan(100);
  const chartData = await page.evaluate(() => {
    const chart = (
      window as unknown as {
        Chart: { getChart(id: string): { data: { labels: string[]; datasets: Array<{ data: number[] }> } } };
      }
    ).Chart.getChart('caseload-trend-chart');
    return { labels: chart.data.labels, red: chart.data.datasets[0]!.data, amber: chart.data.datasets[1]!.data };
  });

  const rows = await page
    .locator('#caseload-trend-table tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll('th, td')).map((cell) => (cell.textContent ?? '').trim())),
    );
  expect(rows).toEqual([
    ['09-11-2026', '0', '1'],
    ['16-11-2026', '1', '1'],
    ['23-11-2026', '2', '0'],
  ]);
  expect(chartData).toEqual({
    labels: rows.map((row) => row[0]),
    red: rows.map((row) => Number(row[1])),
    amber: rows.map((row) => Number(row[2])),
  });

  // Two never reached since September (red), one reached 3 days ago but without a placement (amber).
  const coachRow = await page.locator('table.caseload-table tbody tr').first().locator('th, td').allInnerTexts();
  // The name cell carries the coach's trend link; a cell past an attention threshold says so in words.
  expect(coachRow.map((cell) => cell.replace(/\s+/g, ' ').trim())).toEqual([
    'Anna Aalders Trend',
    '3',
    '33 % (1) onder 80 %',
    '2',
    '1',
    '0',
    '1',
    '1',
    '0',
    '0 % (0)',
  ]);

  expect(await page.evaluate(() => (window as unknown as { cspViolations?: string[] }).cspViolations ?? [])).toEqual([]);
  expect(problems).toEqual([]);
  await page.close();
});
