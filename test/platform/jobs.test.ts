import { Writable } from 'node:stream';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import { createKysely } from '../../src/db/database';
import type { Database } from '../../src/db/schema';
import { FixedClock } from '../../src/lib/clock';
import { createLogger } from '../../src/lib/logger';
import { createMetrics } from '../../src/platform/metrics';
import { createJobRunner, LOCKED, parseLocalTime, tryTakeJobLock, type Job, type JobReport } from '../../src/platform/jobs';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

// The job runner of every app process: when jobs run (at start, every N minutes, daily after a
// local time), that a job runs once however many processes run it, that a failure is logged and
// tried again, and that stopping waits for the run in progress.

const ZONE = 'Europe/Amsterdam';
const noop = { outcome: 'done', summary: 'done' };

function logSink() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger('info', sink) };
}

/** A promise to hold a job's run open until the test lets it go. */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

function countingJob(name: string, schedule: Job['schedule'], body: () => Promise<JobReport> = () => Promise.resolve(noop)) {
  const runs: DateTime[] = [];
  const job: Job = {
    name,
    schedule,
    run: (now) => {
      runs.push(now);
      return body();
    },
  };
  return { job, runs };
}

describe('when jobs run', () => {
  test('every N minutes, the first time at the first look', async () => {
    const clock = new FixedClock(DateTime.fromISO('2026-11-23T09:00:00', { zone: ZONE }));
    const { job, runs } = countingJob('every_five', { everyMinutes: 5 });
    const runner = createJobRunner({ jobs: [job], clock, timeZone: ZONE, logger: createLogger('silent') });
    await runner.tick();
    expect(runs).toHaveLength(1);
    clock.advance({ minutes: 4, seconds: 59 });
    await runner.tick();
    expect(runs).toHaveLength(1);
    clock.advance({ seconds: 1 });
    await runner.tick();
    expect(runs).toHaveLength(2);
    await runner.stop();
  });

  test('soon after start: start() looks once after startDelayMs', async () => {
    const clock = new FixedClock(DateTime.fromISO('2026-11-23T09:00:00', { zone: ZONE }));
    const { job, runs } = countingJob('at_start', { everyMinutes: 60 });
    const runner = createJobRunner({ jobs: [job], clock, timeZone: ZONE, logger: createLogger('silent'), startDelayMs: 20 });
    runner.start();
    expect(runs).toHaveLength(0);
    const deadline = Date.now() + 5000;
    while (runs.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(runs).toHaveLength(1);
    await runner.stop();
  });

  test('daily after a local time in the organisation zone, once a day, whatever the UTC date', async () => {
    // 01:59 in Amsterdam is 00:59 UTC.
    const clock = new FixedClock(DateTime.fromISO('2026-11-23T00:59:00Z'));
    const { job, runs } = countingJob('nightly', { dailyAfter: '02:00' });
    const runner = createJobRunner({ jobs: [job], clock, timeZone: ZONE, logger: createLogger('silent') });
    await runner.tick();
    expect(runs).toHaveLength(0);
    clock.advance({ minutes: 1 });
    await runner.tick();
    expect(runs.map((at) => at.setZone(ZONE).toFormat('yyyy-MM-dd HH:mm'))).toEqual(['2026-11-23 02:00']);
    clock.advance({ hours: 21, minutes: 59 }); // 23:59 local
    await runner.tick();
    expect(runs).toHaveLength(1);
    clock.advance({ minutes: 1 }); // 00:00 the next day: before 02:00
    await runner.tick();
    expect(runs).toHaveLength(1);
    clock.advance({ hours: 3 });
    await runner.tick();
    expect(runs.map((at) => at.setZone(ZONE).toFormat('yyyy-MM-dd HH:mm'))).toEqual(['2026-11-23 02:00', '2026-11-24 03:00']);
    await runner.stop();
  });

  test('a daily job started after its time runs at the first look; one that came back LOCKED is tried again', async () => {
    const clock = new FixedClock(DateTime.fromISO('2026-11-23T14:00:00', { zone: ZONE }));
    const outcomes = [LOCKED, 'done'];
    const { job, runs } = countingJob('nightly', { dailyAfter: '02:00' }, () =>
      Promise.resolve({ outcome: outcomes.shift()!, summary: 'ran' }),
    );
    const runner = createJobRunner({
      jobs: [job],
      clock,
      timeZone: ZONE,
      logger: createLogger('silent'),
      retryLockedMs: 10,
    });
    await runner.tick();
    expect(runs).toHaveLength(1);
    // Another process held the lock: this process has not seen the day done, and tries again soon.
    const deadline = Date.now() + 5000;
    while (runs.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    await runner.idle();
    expect(runs).toHaveLength(2);
    await runner.tick();
    expect(runs).toHaveLength(2);
    await runner.stop();
  });

  test('a requested run happens at once, or right after the run in progress, once however often asked', async () => {
    const clock = new FixedClock(DateTime.fromISO('2026-11-23T09:00:00', { zone: ZONE }));
    const first = gate();
    let calls = 0;
    const { job, runs } = countingJob('on_request', {}, async () => {
      calls += 1;
      if (calls === 1) await first.opened;
      return noop;
    });
    const runner = createJobRunner({ jobs: [job], clock, timeZone: ZONE, logger: createLogger('silent') });
    await runner.tick();
    expect(runs).toHaveLength(0); // no schedule: only on request
    runner.requestRun('on_request');
    expect(runs).toHaveLength(1);
    runner.requestRun('on_request');
    runner.requestRun('on_request');
    first.open();
    await runner.idle();
    expect(runs).toHaveLength(2);
    expect(() => runner.requestRun('unknown')).toThrow('no job is named unknown');
    await runner.stop();
  });

  test('parseLocalTime reads HH:MM and refuses anything else', () => {
    expect(parseLocalTime('02:00')).toBe(120);
    expect(parseLocalTime('6:30')).toBe(390);
    expect(() => parseLocalTime('25:00')).toThrow();
    expect(() => parseLocalTime('2 uur')).toThrow();
    expect(() =>
      createJobRunner({
        jobs: [countingJob('bad', { dailyAfter: '24:00' }).job],
        clock: new FixedClock('2026-11-23T09:00:00Z'),
        timeZone: ZONE,
        logger: createLogger('silent'),
      }),
    ).toThrow();
  });
});

describe('each run', () => {
  test('logs one line with its figures and is counted in the metrics', async () => {
    const { lines, logger } = logSink();
    const metrics = createMetrics();
    const { job } = countingJob('figures', { everyMinutes: 5 }, () =>
      Promise.resolve({ outcome: 'refreshed', summary: 'refreshed 3 rows', figures: { rows: 3 } }),
    );
    const runner = createJobRunner({
      jobs: [job],
      clock: new FixedClock('2026-11-23T09:00:00Z'),
      timeZone: ZONE,
      logger,
      metrics,
    });
    await runner.tick();
    await runner.stop();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, job: 'figures', outcome: 'refreshed', rows: 3, msg: 'refreshed 3 rows' });
    expect(typeof lines[0]!.ms).toBe('number');
    const scraped = await metrics.registry.metrics();
    expect(scraped).toContain('inbeeld_job_runs_total{job="figures",outcome="refreshed"} 1');
    expect(scraped).toContain('inbeeld_job_last_success_timestamp_seconds{job="figures"}');
  });

  test('a failure logs a warning, is counted, does not throw, and the job runs again later', async () => {
    const { lines, logger } = logSink();
    const metrics = createMetrics();
    const clock = new FixedClock(DateTime.fromISO('2026-11-23T09:00:00', { zone: ZONE }));
    let fail = true;
    const { job, runs } = countingJob('flaky', { dailyAfter: '02:00' }, () =>
      fail ? Promise.reject(new Error('connection terminated')) : Promise.resolve(noop),
    );
    const runner = createJobRunner({ jobs: [job], clock, timeZone: ZONE, logger, metrics, retryFailedMs: 5 * 60_000 });
    await expect(runner.tick()).resolves.toBeUndefined();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 40,
      job: 'flaky',
      msg: 'job flaky failed',
      err: { message: 'connection terminated' },
    });
    expect(await metrics.registry.metrics()).toContain('inbeeld_job_runs_total{job="flaky",outcome="failed"} 1');
    // Not before retryFailedMs, so an outage does not fill the log every minute.
    clock.advance({ minutes: 4 });
    await runner.tick();
    expect(runs).toHaveLength(1);
    fail = false;
    clock.advance({ minutes: 1 });
    await runner.tick();
    expect(runs).toHaveLength(2);
    expect(lines[1]).toMatchObject({ level: 30, job: 'flaky', outcome: 'done' });
    // Done for the day now.
    clock.advance({ hours: 1 });
    await runner.tick();
    expect(runs).toHaveLength(2);
    await runner.stop();
  });
});

describe('stop()', () => {
  test('waits for the run in progress, tells it to stop, and nothing runs after it', async () => {
    const clock = new FixedClock(DateTime.fromISO('2026-11-23T09:00:00', { zone: ZONE }));
    const release = gate();
    let sawAbort = false;
    let finished = false;
    const job: Job = {
      name: 'batches',
      schedule: { everyMinutes: 5 },
      run: async (_now, signal) => {
        await release.opened;
        sawAbort = signal.aborted;
        finished = true;
        return noop;
      },
    };
    const runner = createJobRunner({ jobs: [job], clock, timeZone: ZONE, logger: createLogger('silent') });
    void runner.tick();
    let stopped = false;
    const stopping = runner.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    release.open();
    await stopping;
    expect(finished).toBe(true);
    expect(sawAbort).toBe(true);
    clock.advance({ hours: 1 });
    finished = false;
    await runner.tick();
    runner.requestRun('batches');
    await runner.idle();
    expect(finished).toBe(false);
  });
});

describe('once across processes', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    await sql`create table job_test_days (day date primary key, taken_by text not null)`.execute(database.db);
  });
  afterAll(() => database.close());

  /** The shape of a once-a-day job: its work in a transaction under its lock, a row marking the day done. */
  function dailyRowJob(db: Kysely<Database>, process: string): Job {
    return {
      name: 'daily_row',
      schedule: { dailyAfter: '02:00' },
      run: (now) =>
        db.transaction().execute(async (trx): Promise<JobReport> => {
          if (!(await tryTakeJobLock(trx, 'daily_row'))) return { outcome: LOCKED, summary: 'locked' };
          const day = now.setZone(ZONE).toISODate()!;
          const done = await sql`select 1 from job_test_days where day = ${day}::date`.execute(trx);
          if (done.rows.length > 0) return { outcome: 'exists', summary: 'exists' };
          // Held a while, so the other runner looks while this one has the lock.
          await new Promise((resolve) => setTimeout(resolve, 100));
          await sql`insert into job_test_days (day, taken_by) values (${day}::date, ${process})`.execute(trx);
          return { outcome: 'taken', summary: 'taken' };
        }),
    };
  }

  test('two runners on one database, as two app processes: the day is done once', async () => {
    const second = createKysely(database.openPool());
    const clock = new FixedClock(DateTime.fromISO('2026-11-23T02:30:00', { zone: ZONE }));
    const outcomes: string[] = [];
    const runnerOf = (db: Kysely<Database>, process: string) => {
      const job = dailyRowJob(db, process);
      const counted: Job = {
        ...job,
        run: async (now, signal) => {
          const report = await job.run(now, signal);
          outcomes.push(report.outcome);
          return report;
        },
      };
      return createJobRunner({ jobs: [counted], clock, timeZone: ZONE, logger: createLogger('silent'), retryLockedMs: 10 });
    };
    const a = runnerOf(database.db, 'a');
    const b = runnerOf(second, 'b');
    await Promise.all([a.tick(), b.tick()]);
    await Promise.all([a.idle(), b.idle()]);
    // Embedded PostgreSQL serves one transaction at a time, so there the second finds the day
    // done; a server lets both start, and one finds the lock taken (and tries again).
    expect(outcomes.filter((outcome) => outcome === 'taken')).toHaveLength(1);
    expect(outcomes.every((outcome) => ['taken', 'exists', LOCKED].includes(outcome))).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await Promise.all([a.idle(), b.idle()]);
    await Promise.all([a.tick(), b.tick()]);
    await Promise.all([a.stop(), b.stop()]);
    const rows = await sql<{ day: string }>`select day::text as day from job_test_days`.execute(database.db);
    expect(rows.rows).toEqual([{ day: '2026-11-23' }]);
    expect(outcomes.filter((outcome) => outcome === 'taken')).toHaveLength(1);
  });

  test('a job lock is held by one transaction at a time, released at its end', async () => {
    if (database.mode === 'embedded') {
      // PGlite is one backend: its connections share one session, so there is no second holder to refuse.
      expect(await database.db.transaction().execute((trx) => tryTakeJobLock(trx, 'held'))).toBe(true);
      return;
    }
    const second = createKysely(database.openPool());
    const inside = gate();
    const release = gate();
    const holding = database.db.transaction().execute(async (trx) => {
      const taken = await tryTakeJobLock(trx, 'held');
      inside.open();
      await release.opened;
      return taken;
    });
    await inside.opened;
    expect(await second.transaction().execute((trx) => tryTakeJobLock(trx, 'held'))).toBe(false);
    expect(await second.transaction().execute((trx) => tryTakeJobLock(trx, 'another'))).toBe(true);
    release.open();
    expect(await holding).toBe(true);
    expect(await second.transaction().execute((trx) => tryTakeJobLock(trx, 'held'))).toBe(true);
  });
});
