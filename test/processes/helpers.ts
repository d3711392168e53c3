import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { createKysely, createPool } from '../../src/db/database';
import type { Database, Role } from '../../src/db/schema';
import { createUser } from '../../src/users/service';

// Shared by the process checks: start the built app as real `node` processes, talk to them over
// loopback HTTP as a browser behind a TLS proxy would, and set up the rows they need.

export const ROOT = path.resolve(__dirname, '..', '..');
export const PASSWORD = 'correct horse battery staple';

/**
 * What every app process gets: production mode (both secrets are required there) on loopback.
 * Production cookies are Secure and express-session only sets them on a secure request, so the
 * client plays the TLS-terminating proxy of a real deployment: TRUST_PROXY=loopback here and
 * X-Forwarded-Proto: https on every request (see request() below).
 */
export function productionEnv(databaseUrl: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    SESSION_SECRET: 'process-check-session-secret-0123456789abcdef',
    PSEUDONYM_SECRET: 'process-check-pseudonym-secret-0123456789abcdef',
    PUBLIC_URL: 'https://inbeeld.example.test',
    HOST: '127.0.0.1',
    PORT: '0',
    TRUST_PROXY: 'loopback',
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'info',
    // Sign-ins of managers and administrators here check processes, not the second factor.
    MFA_REQUIRED_ROLES: '',
  };
}

export interface AppProcess {
  readonly child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Waits until the output matches, failing after timeoutMs or when the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Resolves with the exit code (null when killed by a signal) once the process ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  isRunning(): boolean;
  /** SIGKILL if it still runs: for cleanup after a failed test. */
  kill(): void;
}

/** Starts `node <script>` from the repository, in an empty working directory so no .env applies. */
export function startProcess(script: string, env: Record<string, string>, args: string[] = []): AppProcess {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'inbeeld-process-cwd-'));
  const child = spawn(process.execPath, [path.join(ROOT, script), ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += String(chunk)));
  child.stderr.on('data', (chunk) => (output += String(chunk)));
  let running = true;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      running = false;
      rmSync(cwd, { recursive: true, force: true });
      resolve({ code, signal });
    });
  });
  return {
    child,
    output: () => output,
    exited,
    isRunning: () => running,
    kill() {
      if (running) child.kill('SIGKILL');
    },
    async waitFor(pattern, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(output);
        if (match) return match;
        if (!running) throw new Error(`${script} exited before its output matched ${pattern}:\n${output}`);
        if (Date.now() > deadline) throw new Error(`${script}: no ${pattern} within ${timeoutMs} ms:\n${output}`);
        await sleep(50);
      }
    },
  };
}

/** The app's own entry (`npm start`), listening on a free port; resolves with it and its base URL. */
export async function startApp(env: Record<string, string>): Promise<AppProcess & { port: number; base: string }> {
  const app = startProcess('dist/src/server.js', env);
  try {
    const port = Number((await app.waitFor(/InBeeld is listening on http:\/\/127\.0\.0\.1:(\d+)/, 60_000))[1]);
    return Object.assign(app, { port, base: `http://127.0.0.1:${port}` });
  } catch (error) {
    app.kill();
    throw error;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The promise's value, or `fallback` when it takes longer than ms (the timer never outlives it). */
export async function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<F>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

export interface Reply {
  status: number;
  text: string;
  headers: Headers;
  /** From sending the request to having read the whole body. */
  ms: number;
}

export interface RequestOptions {
  form?: Record<string, string>;
  cookie?: string;
  /** The client address the proxy reports (X-Forwarded-For): the per-address login limit keys on it. */
  clientIp?: string;
  timeoutMs?: number;
}

/** One HTTP request as it arrives from the proxy: https per X-Forwarded-Proto, redirects not followed. */
export async function request(base: string, pathname: string, options: RequestOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = {
    'X-Forwarded-Proto': 'https',
    'X-Forwarded-For': options.clientIp ?? '198.51.100.1',
  };
  if (options.cookie) headers.Cookie = options.cookie;
  let body: string | undefined;
  if (options.form) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  }
  const started = performance.now();
  const response = await fetch(base + pathname, {
    method: options.form ? 'POST' : 'GET',
    headers,
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
  });
  const text = await response.text();
  return { status: response.status, text, headers: response.headers, ms: performance.now() - started };
}

/** The `inbeeld.sid=…` pair the reply sets, if any (its Secure flag is for the browser, not for us). */
export function sessionCookieOf(reply: Reply): string | undefined {
  return cookieOf(reply, 'inbeeld.sid');
}

export function hiddenField(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]+)"`).exec(html);
  if (!match?.[1]) throw new Error(`no ${name} in the page`);
  return match[1];
}

/** The `name=value` pair of the cookie `name` the reply sets, if any. */
export function cookieOf(reply: Reply, name: string): string | undefined {
  return reply.headers
    .getSetCookie()
    .find((cookie) => cookie.startsWith(`${name}=`))
    ?.split(';')[0];
}

/**
 * Opens the sign-in form and posts it with the form's token and its cookie (no session exists before
 * sign-in); resolves with the reply and the session cookie to use next, if it signed in.
 */
export async function attemptSignIn(
  base: string,
  credentials: { email: string; password: string },
  clientIp: string,
  postTo = base,
): Promise<{ reply: Reply; cookie: string | undefined }> {
  const form = await request(base, '/login', { clientIp });
  const reply = await request(postTo, '/login', {
    clientIp,
    cookie: cookieOf(form, 'inbeeld.form'),
    form: { _csrf: hiddenField(form.text, '_csrf'), email: credentials.email, password: credentials.password },
  });
  return { reply, cookie: sessionCookieOf(reply) };
}

export async function signIn(base: string, credentials: { email: string; password: string }, clientIp: string): Promise<string> {
  const { reply, cookie } = await attemptSignIn(base, credentials, clientIp);
  if (reply.status !== 303 || !cookie) throw new Error(`sign-in failed with ${reply.status}`);
  return cookie;
}

export interface ScratchDatabase {
  url: string;
  db: Kysely<Database>;
  drop(): Promise<void>;
}

/**
 * A new, empty database on the PostgreSQL server of TEST_DATABASE_URL (default: the local server),
 * for one test file; drop() removes it again, closing whatever still connects to it.
 */
export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const admin = createPool({ connectionString: serverUrl, max: 1, connectTimeoutMs: 5000 });
  const name = `inbeeld_processes_${randomBytes(6).toString('hex')}`;
  await admin.query(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = createKysely(createPool({ connectionString: url.toString(), max: 4, connectTimeoutMs: 5000 }));
  return {
    url: url.toString(),
    db,
    async drop() {
      await db.destroy();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

export async function addUser(
  db: Kysely<Database>,
  fields: { email: string; role: Role; team?: string | null; displayName: string },
): Promise<{ id: number; email: string; password: string }> {
  const id = await createUser(
    db,
    {
      email: fields.email,
      displayName: fields.displayName,
      role: fields.role,
      teamName: fields.team ?? null,
      password: PASSWORD,
      locale: 'nl',
    },
    null,
  );
  return { id, email: fields.email, password: PASSWORD };
}

/** Participants of the coach, each in a trajectory running since 2020: all scored by the risk engine. */
export async function addActiveParticipants(db: Kysely<Database>, coachId: number, lastNames: string[]): Promise<number[]> {
  const commissioner = await db
    .insertInto('commissioners')
    .values({ name: 'Gemeente Procescontrole', kind: 'municipality' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const ids: number[] = [];
  for (const lastName of lastNames) {
    const participant = await db
      .insertInto('participants')
      .values({ first_name: 'Proces', last_name: lastName, coach_id: coachId, status: 'active' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('trajectories')
      .values({
        participant_id: participant.id,
        commissioner_id: commissioner.id,
        kind: 'jobcoaching',
        granted_hours: 40,
        start_date: '2020-01-01',
      })
      .execute();
    ids.push(participant.id);
  }
  return ids;
}

/** Whether a new TCP connection to the port is refused (nothing listens there any more). */
export function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

/** A port nothing listens on right now (the OS picks it), for a server we start ourselves. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
