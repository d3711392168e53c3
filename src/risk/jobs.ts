import type { Kysely } from 'kysely';
import type { DateTime } from 'luxon';
import type { Database } from '../db/schema';
import { LOCKED, type Job, type JobReport } from '../platform/jobs';
import { RISK_SNAPSHOT_JOB, takeDailySnapshot } from './snapshot';
import { keepRiskStatesCurrent, RISK_STATE_JOB } from './state';

// The risk feature's work outside requests, run by platform/jobs.ts in every app process (the
// composition root, src/jobs.ts, hands these to the runner). Each is safe in several processes at
// once: the upkeep's batches and the snapshot's run hold their own advisory lock.

/**
 * How often the upkeep looks for rows whose valid_until has come. Also the most a list can lag
 * behind the calendar at the turn of a day; most looks find nothing (two indexed queries).
 */
export const RISK_STATE_CHECK_MINUTES = 5;

export interface RiskJobOptions {
  timeZone: string;
  /** Local time ("HH:MM") after which the day's snapshot is taken (RISK_SNAPSHOT_AT). */
  snapshotAt: string;
}

export function riskJobs(db: Kysely<Database>, { timeZone, snapshotAt }: RiskJobOptions): Job[] {
  return [
    {
      name: RISK_STATE_JOB,
      schedule: { everyMinutes: RISK_STATE_CHECK_MINUTES },
      run: (now, signal) => keepStatesCurrent(db, now, timeZone, signal),
    },
    {
      name: RISK_SNAPSHOT_JOB,
      schedule: { dailyAfter: snapshotAt },
      run: (now, signal) => takeSnapshot(db, now, timeZone, signal),
    },
  ];
}

/** The stored state's upkeep: rows missing or of older settings (a settings change's recompute), then rows whose day has come. */
async function keepStatesCurrent(db: Kysely<Database>, now: DateTime, timeZone: string, signal: AbortSignal): Promise<JobReport> {
  const { missing, expired, cutShort, recomputesFinished } = await keepRiskStatesCurrent(db, now, timeZone, { signal });
  const figures = { missing, expired, recomputeFinished: recomputesFinished.at(-1) ?? null };
  const finished = recomputesFinished.length > 0 ? `; recompute for settings version ${recomputesFinished.at(-1)} finished` : '';
  if (cutShort === 'locked') {
    return { outcome: LOCKED, figures, summary: `risk states: another process is bringing them up to date${finished}` };
  }
  if (cutShort === 'stopped') {
    return { outcome: 'stopped', figures, summary: `risk states: stopped with the process after ${missing + expired} refreshed` };
  }
  if (missing + expired === 0) return { outcome: 'current', figures, summary: `risk states are current${finished}` };
  return {
    outcome: 'refreshed',
    figures,
    summary: `risk states refreshed: ${missing} missing or stale, ${expired} expired${finished}`,
  };
}

/** Today's snapshot, once a day, from the stored state brought up to date first. */
async function takeSnapshot(db: Kysely<Database>, now: DateTime, timeZone: string, signal: AbortSignal): Promise<JobReport> {
  const outcome = await takeDailySnapshot(db, now, timeZone, { signal });
  const { snapshotDate } = outcome;
  switch (outcome.kind) {
    case 'taken':
      return {
        outcome: 'taken',
        figures: { snapshotDate, participants: outcome.participants, refreshed: outcome.refreshed },
        summary: `risk snapshot of ${snapshotDate} taken: ${outcome.participants} participants`,
      };
    case 'exists':
      return { outcome: 'exists', figures: { snapshotDate }, summary: `risk snapshot of ${snapshotDate} exists` };
    case 'locked':
      return {
        outcome: LOCKED,
        figures: { snapshotDate },
        summary: `risk snapshot of ${snapshotDate}: another process is taking it or bringing the risk states up to date`,
      };
    case 'stopped':
      return {
        outcome: 'stopped',
        figures: { snapshotDate },
        summary: `risk snapshot of ${snapshotDate}: stopped with the process`,
      };
  }
}
