import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import type { Metrics } from '../platform/metrics';
import { hasDailySnapshot, takeDailySnapshot, type SnapshotOutcome } from './snapshot';
import { keepRiskStatesCurrent } from './state';

// Starts the daily risk snapshot from inside the app process. Every app process may run this:
// takeDailySnapshot itself makes sure one of them does the work (advisory lock + run row), so no
// job queue is needed. The timers are unref'd, so they never keep a process alive on their own.
//
// Every check (the first one just after start) also keeps the stored risk state current
// (keepRiskStatesCurrent): rows whose valid_until has come, and rows no write made (after the
// migration that added the table, after bulk SQL, after a settings recompute cut short). Most
// checks find nothing: two indexed queries. Its own advisory lock keeps processes from doing the
// same rows at once.

export const DEFAULT_SNAPSHOT_TIME = '02:00';
export const DEFAULT_SNAPSHOT_CHECK_MS = 5 * 60_000;

/** "HH:MM" (24 h) → minutes after local midnight; undefined or empty gives the default 02:00. */
export function parseSnapshotTime(value: string | undefined): number {
  const text = value?.trim() || DEFAULT_SNAPSHOT_TIME;
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (!match) throw new Error(`snapshot time must be HH:MM (24 hours), got "${text}"`);
  return Number(match[1]) * 60 + Number(match[2]);
}

export interface SnapshotSchedulerOptions {
  db: Kysely<Database>;
  clock: Clock;
  timeZone: string;
  logger: Logger;
  /** Local time ("HH:MM") after which the day's snapshot is taken; default 02:00. */
  runAfter?: string;
  checkEveryMs?: number;
  /** Counts and times each run that looked for or took the snapshot (`inbeeld_job_*{job="risk_snapshot"}`). */
  metrics?: Pick<Metrics, 'job'>;
}

/** Runs `run` as the metrics' job when there are metrics. */
type JobTimer = <T>(run: () => Promise<T>, outcomeOf: (result: T) => string) => Promise<T>;

export interface SnapshotScheduler {
  /**
   * One check now (what the timer does): brings the stored risk state up to date, then takes
   * today's snapshot when it is due and missing.
   */
  check(): Promise<SnapshotOutcome | null>;
  /** Stops the timer and waits for a run in progress to finish. */
  stop(): Promise<void>;
}

export function startSnapshotScheduler(options: SnapshotSchedulerOptions): SnapshotScheduler {
  const { db, clock, timeZone, logger } = options;
  const runAfterMinutes = parseSnapshotTime(options.runAfter);
  let doneFor: string | null = null;
  let running: Promise<SnapshotOutcome | null> | null = null;
  let stopped = false;
  const { metrics } = options;
  const asJob: JobTimer = (run, outcomeOf) => (metrics ? metrics.job('risk_snapshot', run, outcomeOf) : run());

  // Apart from the snapshot: a failure here is logged and does not keep the snapshot from being taken.
  const keepStatesCurrent = async (): Promise<void> => {
    try {
      const run = () => keepRiskStatesCurrent(db, clock.now(), timeZone);
      const outcomeOf = ({ missing, expired }: { missing: number; expired: number }) =>
        missing + expired > 0 ? 'refreshed' : 'current';
      const { missing, expired } = await (metrics ? metrics.job('risk_state', run, outcomeOf) : run());
      if (missing + expired > 0) {
        logger.info({ missing, expired }, `risk states refreshed: ${missing} missing or stale, ${expired} expired`);
      }
    } catch (error: unknown) {
      logger.warn({ err: error }, 'risk state upkeep failed');
    }
  };

  const checkOnce = async (): Promise<SnapshotOutcome | null> => {
    await keepStatesCurrent();
    const now = clock.now().setZone(timeZone);
    const today = now.toISODate()!;
    if (doneFor === today || now.hour * 60 + now.minute < runAfterMinutes) return null;
    // Once a day per process (or until it is taken): counted as a run of the job, as is a failure.
    const outcome = await asJob(
      async () => ((await hasDailySnapshot(db, now, timeZone)) ? null : takeDailySnapshot(db, now, timeZone)),
      (result) => result?.kind ?? 'exists',
    );
    if (outcome === null) {
      doneFor = today;
      return null;
    }
    if (outcome.kind === 'taken') {
      doneFor = today;
      logger.info(outcome, `risk snapshot of ${today} taken: ${outcome.participants} participants`);
    } else if (outcome.kind === 'exists') {
      doneFor = today;
    }
    // 'locked': another process is taking it right now; the next check finds its run row.
    return outcome;
  };

  const check = (): Promise<SnapshotOutcome | null> => {
    if (stopped) return Promise.resolve(null);
    running ??= checkOnce()
      .catch((error: unknown) => {
        // A database outage must not bring the app down; the next check tries again.
        logger.warn({ err: error }, 'risk snapshot check failed');
        return null;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };

  const timer = setInterval(() => void check(), options.checkEveryMs ?? DEFAULT_SNAPSHOT_CHECK_MS);
  timer.unref();
  // The first check soon after start, so a process started after 02:00 need not wait a period.
  const first = setTimeout(() => void check(), 1000);
  first.unref();

  return {
    check,
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearTimeout(first);
      await running;
    },
  };
}
