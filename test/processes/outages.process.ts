import type { Kysely } from 'kysely';
import pg from 'pg';
import { createKysely, createPool } from '../../src/db/database';
import { migrateToLatest } from '../../src/db/migrate';
import type { Database } from '../../src/db/schema';
import {
  addActiveParticipants,
  addUser,
  connectionRefused,
  productionEnv,
  request,
  signIn,
  sleep,
  startApp,
  within,
  type Reply,
} from './helpers';
import { findPostgresBinDir, ThrowawayPostgres } from './throwaway-postgres';

// The app process against a private PostgreSQL cluster that the test stops and starts under it:
// what people see while the database is gone, that the app recovers by itself, and that a
// deployment's SIGTERM does not cut off a request that is still being answered.

const CONNECT_TIMEOUT_MS = 1500;
/** "Quick": the connect timeout, plus room for a busy two-core machine to render the error page. */
const QUICK_MS = CONNECT_TIMEOUT_MS + 1500;
const LOAD_WORKERS = 4;
const MAX_REQUESTS_PER_WORKER = 400;

const binDir = findPostgresBinDir();
if (!binDir) {
  console.warn(
    'outages.process.ts skipped: no PostgreSQL server binaries (/usr/lib/postgresql/<major>/bin/initdb and pg_ctl). ' +
      'Install Debian\'s "postgresql" package to run these checks.',
  );
}
const describeWithPostgres = binDir ? describe : describe.skip;

type App = Awaited<ReturnType<typeof startApp>>;

describeWithPostgres('the app process when PostgreSQL goes away', () => {
  let server: ThrowawayPostgres | undefined;
  let app: App | undefined;
  let cookie: string;

  beforeAll(async () => {
    server = await ThrowawayPostgres.create(binDir!);
    const db: Kysely<Database> = createKysely(createPool({ connectionString: server.url, max: 2, connectTimeoutMs: 5000 }));
    try {
      await migrateToLatest(db);
      const coach = await addUser(db, {
        email: 'coach@outage.test',
        role: 'coach',
        team: 'Team Noord',
        displayName: 'Olga Uitval',
      });
      await addActiveParticipants(db, coach.id, ['Stroomstoring']);
      app = await startApp({
        ...productionEnv(server.url),
        DATABASE_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
        SHUTDOWN_TIMEOUT_MS: '15000',
      });
      cookie = await signIn(app.base, coach, '192.0.2.20');
    } finally {
      await db.destroy();
    }
  }, 120_000);

  afterAll(async () => {
    app?.kill();
    await app?.exited;
    await server?.destroy();
  });

  test('stopped under load, requests get a quick 503 and the process lives on', async () => {
    type Outcome = { sentAt: number; ms: number; status: number | string; reply?: Reply };
    const outcomes: Outcome[] = [];
    let loadRunning = true;
    const loop = async () => {
      for (let count = 0; loadRunning && count < MAX_REQUESTS_PER_WORKER; count++) {
        const sentAt = performance.now();
        try {
          const reply = await request(app!.base, '/today', { cookie, timeoutMs: 15_000 });
          outcomes.push({ sentAt, ms: reply.ms, status: reply.status, reply });
        } catch (error) {
          // A refused or reset connection, or no answer at all within 15 s: the app failed.
          outcomes.push({ sentAt, ms: performance.now() - sentAt, status: String((error as Error).cause ?? error) });
        }
      }
    };
    const load = Promise.all(Array.from({ length: LOAD_WORKERS }, loop));
    await sleep(1000);
    const stopStarted = performance.now();
    await server!.stop('immediate');
    const stopDone = performance.now();
    await sleep(3000);
    loadRunning = false;
    await load;

    const failures = outcomes.filter((outcome) => typeof outcome.status === 'string');
    if (failures.length > 0) {
      throw new Error(
        `${failures.length} of ${outcomes.length} requests got no HTTP answer, the first: ${String(failures[0]!.status)}; ` +
          `the app ${app!.isRunning() ? 'still runs' : 'exited'}. Its last output:\n${app!.output().slice(-4000)}`,
      );
    }
    const before = outcomes.filter((outcome) => outcome.sentAt + outcome.ms < stopStarted);
    const after = outcomes.filter((outcome) => outcome.sentAt > stopDone);
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((outcome) => outcome.status === 200)).toBe(true);
    expect(after.length).toBeGreaterThanOrEqual(LOAD_WORKERS);
    expect(after.every((outcome) => outcome.status === 503)).toBe(true);
    // Every answer (including those caught mid-query by the stop) is a 200 or a quick 503.
    expect(outcomes.filter((outcome) => outcome.status !== 200 && outcome.status !== 503)).toEqual([]);
    const unavailable = outcomes.filter((outcome) => outcome.status === 503);
    const slowest = Math.max(...unavailable.map((outcome) => outcome.ms));
    expect(slowest).toBeLessThan(QUICK_MS);
    const page = unavailable[unavailable.length - 1]!.reply!;
    expect(page.text).toContain('De database reageert op dit moment niet.');
    expect(page.headers.get('retry-after')).toBe('10');
    console.warn(
      `outage under load: ${before.length} × 200 before the stop, ${unavailable.length} × 503 ` +
        `(slowest ${Math.round(slowest)} ms, limit ${QUICK_MS} ms), pg_ctl stop took ${Math.round(stopDone - stopStarted)} ms`,
    );

    expect(app!.isRunning()).toBe(true);
    expect((await request(app!.base, '/healthz')).status).toBe(200);
    const ready = await request(app!.base, '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.ms).toBeLessThan(QUICK_MS);
  });

  test('once PostgreSQL is back, the same process serves again without a restart', async () => {
    await server!.start();
    const startedAt = performance.now();
    let ready = 0;
    for (let attempt = 0; attempt < 150 && ready !== 200; attempt++) {
      ready = (await request(app!.base, '/readyz')).status;
      if (ready !== 200) await sleep(200);
    }
    expect(ready).toBe(200);
    const today = await request(app!.base, '/today', { cookie });
    expect(today.status).toBe(200);
    expect(today.text).toContain('Stroomstoring');
    expect(app!.isRunning()).toBe(true);
    console.warn(`recovery: serving again ${Math.round(performance.now() - startedAt)} ms after PostgreSQL was up`);
  });

  test('SIGTERM during a slow request lets it finish, refuses new connections and exits 0', async () => {
    // Slow for a real reason: /today reads participants, which another session holds locked.
    const locker = new pg.Client({ connectionString: server!.url });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query('lock table participants in access exclusive mode');
      let settled = false;
      const slow = request(app!.base, '/today', { cookie, timeoutMs: 30_000 }).finally(() => (settled = true));
      // pg_locks is read live (unlike pg_stat_activity, which a transaction sees frozen).
      let waiting = 0;
      for (let attempt = 0; attempt < 100 && waiting === 0; attempt++) {
        const result = await locker.query<{ waiting: number }>('select count(*)::int as waiting from pg_locks where not granted');
        waiting = result.rows[0]!.waiting;
        if (waiting === 0) await sleep(100);
      }
      expect(waiting).toBeGreaterThan(0);

      app!.child.kill('SIGTERM');
      let refused = false;
      for (let attempt = 0; attempt < 50 && !refused; attempt++) {
        refused = await connectionRefused(app!.port);
        if (!refused) await sleep(100);
      }
      expect(refused).toBe(true);
      await sleep(500);
      expect(settled).toBe(false);
      expect(app!.isRunning()).toBe(true);

      await locker.query('rollback');
      const reply = await slow;
      const answeredAt = performance.now();
      expect(reply.status).toBe(200);
      expect(reply.text).toContain('Stroomstoring');
      expect(reply.text.trimEnd()).toMatch(/<\/html>$/);

      const exit = await within(app!.exited, 10_000, 'still running');
      const exitMs = performance.now() - answeredAt;
      expect(exit).toEqual({ code: 0, signal: null });
      expect(app!.output()).toContain('shutdown complete');
      // Nothing else to wait for once the last answer is out (no lingering keep-alive connection).
      expect(exitMs).toBeLessThan(2000);
      console.warn(`graceful stop: the held request took ${Math.round(reply.ms)} ms; exit ${Math.round(exitMs)} ms after it`);
    } finally {
      await locker.end();
    }
  });
});
