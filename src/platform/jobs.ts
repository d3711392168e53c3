import type { DateTime } from 'luxon';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import type { Metrics } from './metrics';

export { tryTakeJobLock } from './jobs-queries';

// Work that is not a request (architecture.md "Work that is not a request"), run inside the app
// processes themselves. A job queue (pg-boss, graphile-worker) is not used: the versions that run
// on Node 20 hold connections of their own, which the embedded database's one connection cannot
// spare (decisions.md "Scheduled and queued work").
//
// Every app process runs the same runner; what keeps two of them from doing the same work is in the
// database, not here: a job's body is idempotent and does its writes in transactions that hold the
// job's advisory lock (tryTakeJobLock). A body that finds the lock taken does nothing and answers
// the outcome LOCKED: another process is doing that work right now. Long work goes in batches of at
// most 500 rows, each its own transaction, so the embedded database serves requests in between.
//
// The runner only decides when: at start (soon after, not during start-up), every N minutes, and
// once a day after a local time in the organisation's zone. It runs one job at a time per job, logs
// one line per run with its figures, counts it in the metrics (`inbeeld_job_*{job}`), and catches
// what a run throws: a failing job logs a warning and is tried again later; it never ends the process.

/** When a job runs. Either or both; a job without either runs only when asked (requestRun). */
export interface JobSchedule {
  /** Every this many minutes, the first time soon after start. */
  everyMinutes?: number;
  /**
   * Once a day after this local time ("HH:MM", 24 hours, organisation zone); soon after start too
   * when that time has passed today and this process has not done the day's run.
   */
  dailyAfter?: string;
}

/** What one run did. `outcome` is the metrics' label; `summary` the log line, `figures` its fields. */
export interface JobReport {
  outcome: string;
  summary: string;
  figures?: Record<string, number | string | null>;
}

/**
 * The outcome of a run that found its lock held by another process and did nothing. A daily run or
 * a requested one is tried again after a few seconds: the other process may be doing something else
 * under the same lock.
 */
export const LOCKED = 'locked';

export interface Job {
  /** Short snake_case name: the metrics label, the log's `job` field and `npm run jobs:run -- <name>`. */
  name: string;
  schedule: JobSchedule;
  /**
   * The work, as of `now`. Idempotent: running it twice, or in two processes at once, does it once.
   * `signal` is aborted when the process stops: batched work ends after its batch in progress,
   * and the next run (here or in another process) does what is left.
   */
  run(now: DateTime, signal: AbortSignal): Promise<JobReport>;
}

export interface JobRunnerOptions {
  jobs: Job[];
  clock: Clock;
  /** The organisation's zone, for `dailyAfter`. */
  timeZone: string;
  logger: Logger;
  metrics?: Pick<Metrics, 'job'>;
  /** How often the runner looks at the schedules (default a minute); a run is at most this late. */
  tickMs?: number;
  /** The first look after start (default a second), so that start-up is not held up. */
  startDelayMs?: number;
  /** How soon a LOCKED daily or requested run is tried again (default 5 s). */
  retryLockedMs?: number;
  /** How soon a failed run is tried again, at the earliest (default 5 minutes; an interval may be longer). */
  retryFailedMs?: number;
}

export interface JobRunner {
  /** Starts the timers (unref'd: they never keep a process alive on their own). */
  start(): void;
  /** One look at the schedules now, running each due job in turn: what the timer does. */
  tick(): Promise<void>;
  /**
   * Runs the job in the background as soon as possible: now, or right after the run in progress
   * (which may have started before what the caller changed). Returns at once.
   */
  requestRun(name: string): void;
  /** Resolves when no run is in progress or waiting to start again. */
  idle(): Promise<void>;
  /** Stops the timers, tells the runs in progress to stop after their batch, and waits for them; after it nothing runs. */
  stop(): Promise<void>;
}

/** "HH:MM" (24 h) → minutes after local midnight. */
export function parseLocalTime(value: string): number {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(value.trim());
  if (!match) throw new Error(`a job's daily time must be HH:MM (24 hours), got "${value}"`);
  return Number(match[1]) * 60 + Number(match[2]);
}

interface JobState {
  job: Job;
  everyMs: number | null;
  dailyAfterMinutes: number | null;
  lastStartedAt: DateTime | null;
  lastFailedAt: DateTime | null;
  /** The local day whose daily run this process has seen done (by itself or, found so, by another). */
  dailyDoneOn: string | null;
  running: Promise<void> | null;
  /** Asked for while running: run once more when this run ends. */
  again: boolean;
  retry: NodeJS.Timeout | null;
}

const minutesOfDay = (local: DateTime) => local.hour * 60 + local.minute;

export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { clock, timeZone, logger, metrics } = options;
  const tickMs = options.tickMs ?? 60_000;
  const retryLockedMs = options.retryLockedMs ?? 5_000;
  const retryFailedMs = options.retryFailedMs ?? 5 * 60_000;
  const states = new Map<string, JobState>();
  for (const job of options.jobs) {
    if (states.has(job.name)) throw new Error(`two jobs are named ${job.name}`);
    states.set(job.name, {
      job,
      everyMs: job.schedule.everyMinutes === undefined ? null : job.schedule.everyMinutes * 60_000,
      dailyAfterMinutes: job.schedule.dailyAfter === undefined ? null : parseLocalTime(job.schedule.dailyAfter),
      lastStartedAt: null,
      lastFailedAt: null,
      dailyDoneOn: null,
      running: null,
      again: false,
      retry: null,
    });
  }
  const timers: NodeJS.Timeout[] = [];
  const stopping = new AbortController();
  let ticking: Promise<void> | null = null;
  let stopped = false;

  const dailyPending = (state: JobState, now: DateTime): boolean => {
    if (state.dailyAfterMinutes === null) return false;
    const local = now.setZone(timeZone);
    return state.dailyDoneOn !== local.toISODate() && minutesOfDay(local) >= state.dailyAfterMinutes;
  };

  const isDue = (state: JobState, now: DateTime): boolean => {
    if (state.running) return false;
    if (state.lastFailedAt && now.diff(state.lastFailedAt).as('milliseconds') < retryFailedMs) return false;
    const intervalDue =
      state.everyMs !== null &&
      (state.lastStartedAt === null || now.diff(state.lastStartedAt).as('milliseconds') >= state.everyMs);
    return intervalDue || dailyPending(state, now);
  };

  const timed = (name: string, run: () => Promise<JobReport>) =>
    metrics ? metrics.job(name, run, (report) => report.outcome) : run();

  /** One run: logged, counted, never throwing. Null when it failed. */
  const runOnce = async (state: JobState): Promise<JobReport | null> => {
    const { name } = state.job;
    const startedAt = clock.now();
    const wasDailyPending = dailyPending(state, startedAt);
    state.lastStartedAt = startedAt;
    const began = performance.now();
    try {
      const report = await timed(name, () => state.job.run(startedAt, stopping.signal));
      const ms = Math.round(performance.now() - began);
      logger.info({ job: name, outcome: report.outcome, ms, ...report.figures }, report.summary);
      state.lastFailedAt = null;
      if (wasDailyPending && report.outcome !== LOCKED) state.dailyDoneOn = startedAt.setZone(timeZone).toISODate();
      return report;
    } catch (error: unknown) {
      // A database outage, say: the next run tries again (retryFailedMs); the process carries on.
      state.lastFailedAt = clock.now();
      logger.warn({ job: name, err: error, ms: Math.round(performance.now() - began) }, `job ${name} failed`);
      return null;
    }
  };

  const retryLater = (state: JobState) => {
    if (state.retry) return;
    state.retry = setTimeout(() => {
      state.retry = null;
      requestRun(state.job.name);
    }, retryLockedMs);
    state.retry.unref();
  };

  const launch = (state: JobState, requested: boolean): Promise<void> => {
    state.running = (async () => {
      let asked = requested;
      let report = await runOnce(state);
      while (state.again && !stopped) {
        state.again = false;
        asked = true;
        report = await runOnce(state);
      }
      if (!stopped && report?.outcome === LOCKED && (asked || dailyPending(state, clock.now()))) retryLater(state);
    })().finally(() => {
      state.running = null;
    });
    return state.running;
  };

  const stateOf = (name: string): JobState => {
    const state = states.get(name);
    if (!state) throw new Error(`no job is named ${name}`);
    return state;
  };

  function requestRun(name: string): void {
    const state = stateOf(name);
    if (stopped) return;
    if (state.running) state.again = true;
    else void launch(state, true);
  }

  const tick = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    ticking ??= (async () => {
      for (const state of states.values()) {
        if (!stopped && isDue(state, clock.now())) await launch(state, false);
      }
    })().finally(() => {
      ticking = null;
    });
    return ticking;
  };

  const idle = async (): Promise<void> => {
    for (;;) {
      const busy = [ticking, ...[...states.values()].map((state) => state.running)].filter((run) => run !== null);
      if (busy.length === 0) return;
      await Promise.all(busy);
    }
  };

  return {
    start() {
      if (stopped || timers.length > 0) return;
      const first = setTimeout(() => void tick(), options.startDelayMs ?? 1000);
      const every = setInterval(() => void tick(), tickMs);
      first.unref();
      every.unref();
      timers.push(first, every);
    },
    tick,
    requestRun,
    idle,
    async stop() {
      stopped = true;
      stopping.abort();
      for (const timer of timers) clearTimeout(timer);
      for (const state of states.values()) if (state.retry) clearTimeout(state.retry);
      await idle();
    },
  };
}
