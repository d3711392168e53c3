/// <reference lib="dom" />
// The deployment of README "Behind a reverse proxy", on loopback: Debian's nginx with the example site
// deploy/nginx/inbeeld.conf (only its ports and certificate paths replaced) and a self-signed
// certificate made for this run, in front of the built app (`node dist/src/server.js`) in production
// mode with TRUST_PROXY=127.0.0.1, as the README recommends for a proxy on the same machine. Chromium
// signs in through nginx over HTTPS. The browser talks to nginx over IPv6 ([::1]) and nginx to the app
// over IPv4 (127.0.0.1), so the address the app records tells the client's from the proxy's.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { createTestUser, type UserFixture } from '../helpers/app';
import { launchBrowser } from '../helpers/browser';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import buildOnce from '../processes/global-setup';
import { freePort, ROOT, startApp, within, type AppProcess } from '../processes/helpers';

const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';
const EXAMPLE = path.join(ROOT, 'deploy', 'nginx', 'inbeeld.conf');
const FORGED = '203.0.113.66';

const nginxFound = existsSync(NGINX);
if (!nginxFound && !process.env.CI) {
  console.warn(`SKIPPED reverse-proxy.browser.ts: no nginx at ${NGINX} (apt-get install nginx, or set NGINX_PATH)`);
}
// In CI a missing nginx fails the run instead of skipping (.ci/run installs it).
const describeWithNginx = nginxFound || process.env.CI ? describe : describe.skip;

/** Replaces `from` in the example exactly `times` times, so a changed example fails here instead of going untested. */
function replaceExactly(text: string, from: string, to: string, times = 1): string {
  const found = text.split(from).length - 1;
  if (found !== times) throw new Error(`deploy/nginx/inbeeld.conf: expected ${times}× "${from}", found ${found}`);
  return text.split(from).join(to);
}

/** The example site with loopback ports and this run's certificate; nothing else is changed. */
function siteFor(example: string, ports: { app: number; http: number; https: number }, dir: string): string {
  let site = example;
  site = replaceExactly(site, 'server 127.0.0.1:3000;', `server 127.0.0.1:${ports.app};`);
  site = replaceExactly(site, 'listen 80;', `listen 127.0.0.1:${ports.http};`);
  site = replaceExactly(site, 'listen [::]:80;', `listen [::1]:${ports.http};`);
  site = replaceExactly(site, 'listen 443 ssl http2;', `listen 127.0.0.1:${ports.https} ssl http2;`);
  site = replaceExactly(site, 'listen [::]:443 ssl http2;', `listen [::1]:${ports.https} ssl http2;`);
  site = replaceExactly(site, '/etc/letsencrypt/live/inbeeld.example.org/fullchain.pem', path.join(dir, 'cert.pem'));
  site = replaceExactly(site, '/etc/letsencrypt/live/inbeeld.example.org/privkey.pem', path.join(dir, 'key.pem'));
  return site;
}

/** Debian's main nginx.conf reduced to what a private, non-daemon nginx in `dir` needs around the site. */
function mainConfig(dir: string): string {
  return [
    // As root (CI) the workers would otherwise run as nobody, who cannot enter the private dir.
    ...(process.getuid?.() === 0 ? ['user root;'] : []),
    'daemon off;',
    'worker_processes 1;',
    `pid ${path.join(dir, 'nginx.pid')};`,
    'error_log stderr;',
    'events { worker_connections 64; }',
    'http {',
    `  access_log ${path.join(dir, 'access.log')};`,
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${path.join(dir, kind)};`),
    `  include ${path.join(dir, 'inbeeld.conf')};`,
    '}',
    '',
  ].join('\n');
}

function waitForPort(host: string, port: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect({ host, port });
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        if (Date.now() > deadline) reject(new Error(`nothing listens on ${host}:${port}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/** One plain HTTP GET, from the given local address: to reach the app port directly, or nginx's port 80. */
function get(
  port: number,
  pathname: string,
  options: { localAddress?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      {
        host: '127.0.0.1',
        port,
        path: pathname,
        localAddress: options.localAddress,
        headers: options.headers,
        agent: false,
        timeout: 10_000,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}

describeWithNginx('behind nginx with the example site (deploy/nginx/inbeeld.conf)', () => {
  let dir: string;
  let database: TestDatabase;
  let coach: UserFixture;
  let app: AppProcess & { port: number };
  let nginx: ChildProcess | undefined;
  let nginxOutput = '';
  let nginxExited: Promise<void> = Promise.resolve();
  let browser: Browser;
  let ports: { app: number; http: number; https: number };
  let base: string;

  beforeAll(async () => {
    if (!nginxFound) throw new Error(`no nginx at ${NGINX}: CI must have Debian's nginx (apt-get install nginx)`);
    dir = mkdtempSync(path.join(os.tmpdir(), 'inbeeld-nginx-'));

    // A certificate for the names the browser and the app use here; Chromium trusts exactly its key.
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost']
        .concat(['-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1'])
        .concat(['-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')]),
      { stdio: 'ignore' },
    );
    const spki = new X509Certificate(readFileSync(path.join(dir, 'cert.pem'))).publicKey.export({ type: 'spki', format: 'der' });
    const spkiHash = createHash('sha256').update(spki).digest('base64');
    browser = await launchBrowser([`--ignore-certificate-errors-spki-list=${spkiHash}`]);

    await buildOnce();
    database = await createTestDatabase();
    coach = await createTestUser(database, { role: 'coach', team: 'Team Utrecht', displayName: 'Daan Bakker' });

    ports = { app: await freePort(), http: await freePort(), https: await freePort() };
    base = `https://[::1]:${ports.https}`;
    app = await startApp({
      NODE_ENV: 'production',
      SESSION_SECRET: 'reverse-proxy-check-session-secret-0123456789',
      PSEUDONYM_SECRET: 'reverse-proxy-check-pseudonym-secret-012345678',
      PUBLIC_URL: `https://localhost:${ports.https}`,
      HOST: '127.0.0.1',
      PORT: String(ports.app),
      TRUST_PROXY: '127.0.0.1',
      DATABASE_URL: database.connectionString,
      DATABASE_POOL_SIZE: '1',
      LOG_LEVEL: 'info',
    });

    writeFileSync(path.join(dir, 'inbeeld.conf'), siteFor(readFileSync(EXAMPLE, 'utf8'), ports, dir));
    writeFileSync(path.join(dir, 'nginx.conf'), mainConfig(dir));
    const child = spawn(NGINX, ['-e', 'stderr', '-p', dir, '-c', path.join(dir, 'nginx.conf')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    nginx = child;
    child.stdout.on('data', (chunk) => (nginxOutput += String(chunk)));
    child.stderr.on('data', (chunk) => (nginxOutput += String(chunk)));
    nginxExited = new Promise((resolve) => child.once('exit', () => resolve()));
    await Promise.race([
      waitForPort('::1', ports.https),
      nginxExited.then(() => Promise.reject(new Error(`nginx stopped at start:\n${nginxOutput}`))),
    ]);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (nginx && nginx.exitCode === null) {
      nginx.kill('SIGTERM');
      await within(nginxExited, 5000, undefined);
      if (nginx.exitCode === null) nginx.kill('SIGKILL');
    }
    if (app?.isRunning()) {
      app.child.kill('SIGTERM');
      await within(app.exited, 15_000, undefined);
      app.kill();
    }
    await database?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  test('a coach signs in over HTTPS through nginx: Secure HttpOnly session cookie, HSTS once, the client address seen', async () => {
    // The browser also sends a forged X-Forwarded-For: nginx replaces it with the address it saw.
    const context = await browser.newContext({ extraHTTPHeaders: { 'X-Forwarded-For': FORGED } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('requestfailed', (request) => problems.push(`${request.url()} ${request.failure()?.errorText}`));

    const loginPage = await page.goto(`${base}/login`);
    expect(loginPage?.status()).toBe(200);
    // The certificate was accepted for this key only, so this is a secure context to Chromium.
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
    // The app saw HTTPS (X-Forwarded-Proto believed from nginx): no "cannot sign in here" notice.
    expect(await page.locator('body').innerText()).not.toContain('Aanmelden kan niet over deze verbinding');
    // HSTS comes from the app, exactly once (the example does not add a second one).
    const hsts = (await loginPage!.headersArray()).filter((header) => header.name.toLowerCase() === 'strict-transport-security');
    expect(hsts).toHaveLength(1);
    expect(hsts[0]!.value).toMatch(/max-age=\d+/);

    await page.getByLabel('E-mailadres').fill(coach.email);
    await page.getByLabel('Wachtwoord').fill(coach.password);
    await page.getByRole('button', { name: 'Aanmelden', exact: true }).click();
    await page.waitForURL(`${base}/today`);
    expect(await page.locator('h1').innerText()).toContain('Vandaag');

    const session = (await context.cookies()).find((cookie) => cookie.name === 'inbeeld.sid');
    expect(session).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax' });

    // The own-sessions list shows the address the app recorded at sign-in: the browser's ([::1]),
    // not nginx's (127.0.0.1) and not the forged one.
    await page.goto(`${base}/account`);
    const account = await page.locator('main').innerText();
    expect(account).toContain('::1');
    expect(account).not.toContain(FORGED);
    expect(account).not.toContain('127.0.0.1');
    expect(problems).toEqual([]);
    await context.close();

    // nginx's plain HTTP port only redirects to HTTPS, at the example's name (not a Host it was sent).
    const plain = await get(ports.http, '/login?next=%2Ftoday', { headers: { Host: 'elsewhere.example' } });
    expect(plain.status).toBe(301);
    expect(plain.headers.location).toBe('https://inbeeld.example.org/login?next=%2Ftoday');
  });

  test('a direct request to the app port with forged X-Forwarded-* headers is not believed (TRUST_PROXY=127.0.0.1)', async () => {
    const forged = { 'X-Forwarded-For': FORGED, 'X-Forwarded-Proto': 'https' };
    // 127.0.0.2 stands in for anything that is not the proxy (another machine, were the port open).
    // Express takes the client address (X-Forwarded-For) and the scheme (X-Forwarded-Proto) from
    // the same trust rule, so the scheme shows it: the sign-in page says it cannot work over HTTP.
    const direct = await get(app.port, '/login', { localAddress: '127.0.0.2', headers: forged });
    expect(direct.status).toBe(200);
    expect(direct.body).toContain('Aanmelden kan niet over deze verbinding');
    // The same headers from the proxy's address are believed: the check above tells the two apart.
    const fromProxy = await get(app.port, '/login', { localAddress: '127.0.0.1', headers: forged });
    expect(fromProxy.body).not.toContain('Aanmelden kan niet over deze verbinding');
    // And the app listens on loopback only (HOST=127.0.0.1): other machines cannot reach it at all.
    expect(app.output()).toContain(`InBeeld is listening on http://127.0.0.1:${ports.app}`);
  });
});
