import type { Locale } from '../../src/config';
import { Writable } from 'node:stream';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import type express from 'express';
import { createApp } from '../../src/app';
import { createServices, type Services } from '../../src/services';
import { parseConfig, type Config } from '../../src/config';
import { FixedClock, type Clock } from '../../src/lib/clock';
import { createLogger } from '../../src/lib/logger';
import type { Role } from '../../src/db/schema';
import { createUser } from '../../src/users/service';
import { createKysely } from '../../src/db/database';
import { createTestDatabase, type TestDatabase } from './database';

export const TEST_PASSWORD = 'correct horse battery';

export interface TestApp {
  app: express.Express;
  database: TestDatabase;
  config: Config;
  clock: Clock;
  /** Everything the app logged, one JSON line each. */
  logLines: string[];
  /** Every wait the sign-in delay asked for (ms), in order: the app records them instead of waiting. */
  sleeps: number[];
  /** The first app instance's services (its metrics, say). */
  services: Services;
  /** A second app instance on the same database, as a second process would be. */
  secondInstance(): express.Express;
  close(): Promise<void>;
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return parseConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
    // No role must have a second factor unless a test of it says so (decisions.md "MFA and SSO").
    MFA_REQUIRED_ROLES: '',
    ...overrides,
  });
}

/** Builds the app with createApp on a fresh database, as server.ts does, but without listening. */
export async function startTestApp(
  options: { clock?: Clock; env?: Record<string, string>; viaProxy?: boolean; database?: TestDatabase } = {},
): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase({ viaProxy: options.viaProxy }));
  const config = testConfig(options.env);
  const clock = options.clock ?? new FixedClock('2026-11-23T09:00:00+01:00');
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  const logger = createLogger(config.logLevel, sink);
  const instances: Services[] = [];
  const sleeps: number[] = [];
  const sleep = (ms: number) => {
    sleeps.push(ms);
    return Promise.resolve();
  };
  const build = (pool = database.pool, db = database.db) => {
    const services = createServices({ config, db, pool, logger, clock, sleep });
    instances.push(services);
    return createApp(services);
  };
  const app = build();
  return {
    app,
    database,
    config,
    clock,
    logLines,
    sleeps,
    services: instances[0]!,
    secondInstance() {
      const pool = database.openPool();
      return build(pool, createKysely(pool));
    },
    async close() {
      for (const instance of instances) await instance.close();
      if (!options.database) await database.close();
    },
  };
}

let emailCounter = 0;

export interface UserFixture {
  id: number;
  email: string;
  password: string;
  displayName: string;
}

export async function createTestUser(
  database: TestDatabase,
  fields: { role: Role; team?: string | null; email?: string; displayName?: string; locale?: Locale | null },
): Promise<UserFixture> {
  emailCounter += 1;
  const email = fields.email ?? `${fields.role}${emailCounter}@example.test`;
  const displayName = fields.displayName ?? `Test ${fields.role} ${emailCounter}`;
  const team = fields.team === undefined ? (fields.role === 'admin' ? null : 'Team Test') : fields.team;
  const id = await createUser(
    database.db,
    {
      email,
      displayName,
      role: fields.role,
      teamName: team,
      password: TEST_PASSWORD,
      locale: fields.locale === undefined ? 'nl' : fields.locale,
    },
    null,
  );
  return { id, email, password: TEST_PASSWORD, displayName };
}

export function csrfTokenFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no CSRF token in the page');
  return match[1];
}

/** A fresh CSRF token for the agent's session, taken from a page that renders a form. */
export async function csrfToken(agent: TestAgent, page = '/login'): Promise<string> {
  const response = await agent.get(page);
  return csrfTokenFrom(response.text);
}

export async function signIn(agent: TestAgent, user: { email: string; password: string }, next?: string) {
  const token = await csrfToken(agent);
  return agent
    .post('/login')
    .type('form')
    .send({ _csrf: token, email: user.email, password: user.password, ...(next ? { next } : {}) });
}

/** An agent (cookie jar) already signed in as the user. */
export async function signedInAgent(app: TestApp['app'], user: UserFixture): Promise<TestAgent> {
  const agent = request.agent(app);
  const response = await signIn(agent, user);
  if (response.status !== 303) throw new Error(`sign-in failed with ${response.status}`);
  return agent;
}

export function sessionCookie(response: request.Response): string | undefined {
  return setCookie(response, 'inbeeld.sid')?.split(';')[0];
}

/** The whole Set-Cookie line (with its attributes) the response sets for `name`, if any. */
export function setCookie(response: request.Response, name: string): string | undefined {
  const cookies = response.headers['set-cookie'] as unknown as string[] | undefined;
  return cookies?.find((cookie) => cookie.startsWith(`${name}=`));
}

/** How many sessions are stored, signed in or not. */
export async function sessionRows(database: TestDatabase): Promise<number> {
  const row = await database.db
    .selectFrom('sessions')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
