/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { FixedClock } from '../../src/lib/clock';
import { DEMO_PASSWORD, seedDemo } from '../../src/demo/service';
import { startTestApp, type TestApp } from '../helpers/app';
import { launchBrowser, listen } from '../helpers/browser';

// Issue 16, phone-first: on the demo, each role opens every main page at 390 × 844 (a phone). No
// page is wider than the screen, no element is wider than the box that scrolls or clips it (a table
// scrolling sideways inside its frame, a word cut off), and the header is one compact line whose
// menu opens without a script. With PHONE_SHOTS=<folder> it also leaves screenshots there.

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };
const startedAt = '2026-11-25T10:00:00+01:00';
const shots = process.env.PHONE_SHOTS ? path.resolve(process.env.PHONE_SHOTS) : null;

let t: TestApp;
let server: { baseUrl: string; close(): Promise<void> };
let browser: Browser;

beforeAll(async () => {
  t = await startTestApp({ clock: new FixedClock(startedAt) });
  await seedDemo(t.database.db, DateTime.fromISO(startedAt, { zone: 'Europe/Amsterdam' }));
  server = await listen(t.app);
  browser = await launchBrowser();
  if (shots) mkdirSync(shots, { recursive: true });
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await t?.close();
});

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(`${server.baseUrl}/login`);
  await page.fill('#email', email);
  await page.fill('#password', DEMO_PASSWORD);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/login')), page.click('main form button[type=submit]')]);
}

/** The first link on the open page that matches `selector`, as a path; null when there is none. */
function linkOnPage(page: Page, selector: string): Promise<string | null> {
  return page.evaluate((css) => document.querySelector(css)?.getAttribute('href') ?? null, selector);
}

/** The first link on `from` that matches `selector`, as a path. */
async function firstLink(page: Page, from: string, selector: string): Promise<string> {
  await page.goto(`${server.baseUrl}${from}`);
  const href = await linkOnPage(page, selector);
  if (!href) throw new Error(`no ${selector} on ${from}`);
  return href;
}

interface Layout {
  documentWidth: number;
  headerHeight: number;
  problems: string[];
}

/** What sticks out on the open page: elements wider than the box that scrolls or clips them, or past the screen's edge. */
function measure(page: Page): Promise<Layout> {
  return page.evaluate(() => {
    const describe = (element: Element) => {
      const id = element.id ? `#${element.id}` : '';
      const classes =
        typeof element.className === 'string' && element.className ? `.${element.className.trim().split(/\s+/).join('.')}` : '';
      const text = (element.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
      return `${element.tagName.toLowerCase()}${id}${classes} "${text}"`;
    };
    const hidden = (element: Element) => {
      // The content of a closed <details> (the phone menu) is laid out when asked, but not shown.
      const closed = element.closest('details:not([open])');
      if (closed && !closed.querySelector(':scope > summary')?.contains(element)) return true;
      for (let current: Element | null = element; current; current = current.parentElement) {
        const style = getComputedStyle(current);
        if (style.display === 'none' || style.visibility === 'hidden') return true;
        // The visually-hidden pattern: a 1 px box that clips on purpose.
        if (current.clientWidth <= 1 && style.overflow === 'hidden') return true;
      }
      return false;
    };
    const problems: string[] = [];
    const screenWidth = document.documentElement.clientWidth;
    for (const element of Array.from(document.querySelectorAll('body *'))) {
      // Form controls scroll their own text; that is how they are meant to work.
      if (['INPUT', 'TEXTAREA', 'SELECT', 'OPTION', 'OPTGROUP', 'SCRIPT', 'STYLE'].includes(element.tagName)) continue;
      const style = getComputedStyle(element);
      if (style.display === 'none') continue;
      const clips = style.overflowX !== 'visible';
      if (clips && element.clientWidth > 1 && element.scrollWidth > element.clientWidth + 1 && !hidden(element)) {
        problems.push(`${describe(element)}: ${element.scrollWidth} px of content in a ${element.clientWidth} px box`);
        continue;
      }
      const box = element.getBoundingClientRect();
      if (box.width > 0 && box.right > screenWidth + 1 && box.left < screenWidth && !hidden(element)) {
        problems.push(`${describe(element)}: reaches ${Math.round(box.right)} px on a ${screenWidth} px screen`);
      }
    }
    return {
      documentWidth: document.documentElement.scrollWidth,
      headerHeight: document.querySelector('.site-header')!.getBoundingClientRect().height,
      problems,
    };
  });
}

async function shoot(page: Page, name: string): Promise<void> {
  if (shots) await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

/** The main pages of a role: its navigation, and one detail page and form of each kind it can open. */
async function pagesOf(page: Page, role: 'coach' | 'manager' | 'admin'): Promise<string[]> {
  const navigation = await page
    .locator('.site-header__wide .main-nav a')
    .evaluateAll((links) => links.map((link) => link.getAttribute('href')!));
  // A participant with signals: the profile then shows trajectories, contacts and reasons.
  const participant = await firstLink(page, '/dashboard', 'main table a[href^="/participants/"]');
  const employer = await firstLink(page, '/employers', 'main table a[href^="/employers/"]');
  const pages = [...navigation, '/account', participant, employer, `${employer}/edit`];
  if (role !== 'admin') {
    pages.push(`${participant}/edit`, `${participant}/contacts/new`, `${participant}/placements/new`, `${participant}/goals/new`);
    pages.push(`${participant}/trajectories/new`, `${participant}/referrals/new`, `${participant}/risk/acknowledge`);
    await page.goto(`${server.baseUrl}${participant}`);
    for (const selector of [
      'main a[href*="/contacts/"]:not([href$="/new"])',
      'main a[href$="/report"]',
      'main a[href*="/goals/"]:not([href$="/new"])',
    ]) {
      const href = await linkOnPage(page, selector);
      if (href) pages.push(href);
    }
  }
  if (role === 'admin') {
    pages.push(await firstLink(page, '/admin/users', 'main table a[href^="/admin/users/"]'));
    pages.push(await firstLink(page, '/admin/teams', 'main table a[href^="/admin/teams/"]'));
    pages.push('/admin/users/new', '/admin/commissioners/new');
  }
  if (role === 'manager') {
    await page.goto(`${server.baseUrl}/reviews`);
    const review = await linkOnPage(page, 'main table a[href^="/reviews/"]');
    pages.push('/reviews/new', '/standins/new', ...(review ? [review] : []));
  }
  return [...new Set(pages)];
}

const roles = [
  ['coach', 'coach@example.org'],
  ['manager', 'manager@example.org'],
  ['admin', 'admin@example.org'],
] as const;

test.each(roles)(
  'every main page of the %s fits a 390 px phone',
  async (role, email) => {
    const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    try {
      await signIn(page, email);
      const paths = await pagesOf(page, role);
      expect(paths.length).toBeGreaterThan(8);
      const found: string[] = [];
      for (const pagePath of paths) {
        const response = await page.goto(`${server.baseUrl}${pagePath}`);
        if (response?.status() !== 200) {
          found.push(`${pagePath}: answered ${response?.status()}`);
          continue;
        }
        const layout = await measure(page);
        if (layout.documentWidth > PHONE.width) found.push(`${pagePath}: the page is ${layout.documentWidth} px wide`);
        if (layout.headerHeight > 80) found.push(`${pagePath}: the header is ${layout.headerHeight} px high`);
        found.push(...layout.problems.map((problem) => `${pagePath}: ${problem}`));
      }
      expect(found).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  },
  240_000,
);

test('the phone menu opens without a script and holds the navigation, the name and sign-out', async () => {
  const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
  const page = await context.newPage();
  try {
    await signIn(page, 'manager@example.org');
    await page.goto(`${server.baseUrl}/dashboard/caseloads`);
    const toggle = page.locator('.site-menu > summary');
    expect(await toggle.isVisible()).toBe(true);
    expect(await toggle.innerText()).toContain('Caseloads');
    expect(await page.locator('.site-header__wide').isVisible()).toBe(false);
    const caseloadsLink = page.locator('.site-menu .main-nav a[href="/dashboard/caseloads"]');
    expect(await caseloadsLink.isVisible()).toBe(false);
    await toggle.click();
    expect(await caseloadsLink.isVisible()).toBe(true);
    expect(await caseloadsLink.getAttribute('aria-current')).toBe('page');
    expect(await page.locator('.site-menu .user-badge__name').innerText()).toBe('Marloes Jansen');
    expect(await page.locator('.site-menu form[action="/logout"] button').isVisible()).toBe(true);
    await shoot(page, 'phone-menu-open');
    // On a wide screen the navigation is in the header's row, and the menu button is gone.
    await page.setViewportSize(DESKTOP);
    expect(await page.locator('.site-menu').isVisible()).toBe(false);
    expect(await page.locator('.site-header__wide .main-nav a[href="/participants"]').isVisible()).toBe(true);
  } finally {
    await context.close();
  }
});

test('screenshots of the pages the issue names, on a phone and on a desktop', async () => {
  if (!shots) return;
  for (const [role, email] of roles) {
    for (const [label, viewport] of [
      ['phone', PHONE],
      ['desktop', DESKTOP],
    ] as const) {
      const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
      const page = await context.newPage();
      await signIn(page, email);
      // A participant with signals, so the profile shows a trajectory, contacts and reasons.
      const participant = await firstLink(page, '/dashboard', 'main table a[href^="/participants/"]');
      const paths: Array<[string, string]> = [
        ['dashboard', '/dashboard'],
        ['participants', '/participants'],
        ['profile', participant],
        ['reports', '/reports'],
      ];
      if (role === 'coach') paths.push(['today', '/today'], ['contact-form', `${participant}/contacts/new`]);
      if (role !== 'coach') paths.push(['caseloads', '/dashboard/caseloads']);
      if (role === 'admin') paths.push(['audit', '/admin/audit'], ['users', '/admin/users']);
      for (const [name, pagePath] of paths) {
        await page.goto(`${server.baseUrl}${pagePath}`);
        await shoot(page, `${label}-${role}-${name}`);
      }
      await context.close();
    }
  }
}, 240_000);

test('the contact-person list follows the chosen employer', async () => {
  const context = await browser.newContext({ viewport: PHONE });
  const page = await context.newPage();
  try {
    await signIn(page, 'coach@example.org');
    const participant = await firstLink(page, '/dashboard', 'main table a[href^="/participants/"]');
    await page.goto(`${server.baseUrl}${participant}/contacts/new`);
    const groupsShown = () =>
      page
        .locator('#employerContactId optgroup')
        .evaluateAll((groups) => groups.map((group) => group.getAttribute('data-employer-id')));
    const everyGroup = await groupsShown();
    expect(everyGroup.length).toBeGreaterThan(2);
    const [first, second] = everyGroup as [string, string];
    await page.selectOption('#employerId', first);
    expect(await groupsShown()).toEqual([first]);
    const person = await page.locator('#employerContactId optgroup option').first().getAttribute('value');
    await page.selectOption('#employerContactId', person);
    // Another employer: the chosen person of the first one is no choice any more.
    await page.selectOption('#employerId', second);
    expect(await groupsShown()).toEqual([second]);
    expect(await page.inputValue('#employerContactId')).toBe('');
    await page.selectOption('#employerId', '');
    expect(await groupsShown()).toEqual(everyGroup);
  } finally {
    await context.close();
  }
});
