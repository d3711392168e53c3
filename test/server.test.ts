import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Secret, TOTP } from 'otpauth';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../src/demo/service';

// Starts src/server.ts as its own process, as `npm start` does, on a fresh embedded database.
const root = path.resolve(__dirname, '..');

function startServer(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let output = '';
  // Run from an empty folder so a developer's own .env cannot change what is tested.
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'inbeeld-cwd-'));
  const child = spawn(process.execPath, ['-r', require.resolve('ts-node/register'), path.join(root, 'src', 'server.ts')], {
    cwd,
    env: {
      PATH: process.env.PATH ?? '',
      TS_NODE_TRANSPILE_ONLY: 'true',
      TS_NODE_PROJECT: path.join(root, 'tsconfig.json'),
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk) => (output += String(chunk)));
  child.stderr.on('data', (chunk) => (output += String(chunk)));
  child.once('exit', () => rmSync(cwd, { recursive: true, force: true }));
  return { child, output: () => output };
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
  });
}

/** A demo sign-in over HTTP, password and then a code of the demo key; the page it ends on. */
async function demoSignIn(base: string, email: string): Promise<string | null> {
  const cookies = new Map<string, string>();
  const send = async (path: string, form?: Record<string, string>) => {
    const response = await fetch(`${base}${path}`, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return response;
  };
  const tokenOf = async (response: Response) => /name="_csrf" value="([^"]+)"/.exec(await response.text())![1]!;
  const password = await send('/login', { _csrf: await tokenOf(await send('/login')), email, password: DEMO_PASSWORD });
  expect(password.headers.get('location')).toBe('/login/second-factor');
  const code = new TOTP({ secret: Secret.fromBase32(DEMO_TOTP_SECRET) }).generate();
  const signedIn = await send('/login/second-factor', { _csrf: await tokenOf(await send('/login/second-factor')), code });
  return signedIn.headers.get('location');
}

describe('the server process', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'inbeeld-server-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  test('starts on a fresh embedded database with demo logins, serves, and exits 0 on SIGTERM', async () => {
    const { child, output } = startServer({ PORT: '0', EMBEDDED_DB_DIR: dataDir });
    let second: ChildProcess | undefined;
    try {
      await waitFor(() => /InBeeld runs at http:\/\/localhost:\d+/.test(output()), 60_000);
      const text = output();
      expect(text).toContain(`embedded PostgreSQL (PGlite), data in ${dataDir}`);
      expect(text).toContain('SESSION_SECRET is not set');
      expect(text).toContain('admin@example.org');
      expect(text).toContain('inbeeld-demo');
      const port = /InBeeld runs at http:\/\/localhost:(\d+)/.exec(text)![1];
      const login = await fetch(`http://127.0.0.1:${port}/login`);
      expect(login.status).toBe(200);
      expect(await login.text()).toContain('Aanmelden bij InBeeld');
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      // A second process on the same embedded data folder is refused (its writes would be lost),
      // and the first serves on.
      const other = startServer({ PORT: '0', EMBEDDED_DB_DIR: dataDir });
      second = other.child;
      expect(await exitOf(other.child)).toBe(1);
      expect(other.output()).toContain(`the embedded database in ${dataDir} is in use by process ${child.pid}`);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      // The demo manager and administrator have the printed authenticator key (MFA_REQUIRED_ROLES' default).
      expect(text).toContain(`add this key to any authenticator app`);
      expect(text).toContain(DEMO_TOTP_SECRET.replace(/(.{4})/g, '$1 ').trim());
      expect(await demoSignIn(`http://127.0.0.1:${port}`, 'manager@example.org')).toBe('/');
      child.kill('SIGTERM');
      expect(await exitOf(child)).toBe(0);
      expect(output()).toContain('shutdown complete');
    } finally {
      child.kill('SIGKILL');
      second?.kill('SIGKILL');
    }
  }, 90_000);

  test('refuses to start with an invalid configuration and names the variable', async () => {
    const { child, output } = startServer({ NODE_ENV: 'production', APP_TIMEZONE: 'Mars/Olympus' });
    expect(await exitOf(child)).toBe(1);
    expect(output()).toContain('APP_TIMEZONE must be an IANA time zone');
    expect(output()).toContain('SESSION_SECRET is required when NODE_ENV=production');
  }, 60_000);
});
