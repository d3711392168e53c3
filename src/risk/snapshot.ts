import type { Kysely, Transaction } from 'kysely';
import { DateTime } from 'luxon';
import type { Database } from '../db/schema';
import { tryTakeJobLock } from '../platform/jobs';
import { assessRisk, loadRiskSettings, type RiskAssessment } from './service';
import {
  findSnapshotRun,
  finishSnapshotRun,
  insertSnapshotFromRiskStates,
  insertSnapshotRows,
  insertSnapshotRun,
  listSnapshotCandidates,
  type SnapshotCandidate,
} from './snapshot-queries';
import { keepRiskStatesCurrent } from './state';

// The daily snapshot of every scored participant's level, for the caseload trend. One run per
// calendar day (organisation zone), whatever the number of app processes: the run happens inside
// one transaction that holds the job's advisory lock, and a run row marks the day done. A second
// process that starts at the same moment either cannot take the lock (and skips) or takes it
// after the first committed and finds the day's run row (and skips).
//
// Today's snapshot is one INSERT … SELECT from the stored risk state, brought up to date first
// (the rows whose day has come, and any of older settings). Past days, which only the demo's
// backfill takes, are scored by the engine as of that day: the stored state knows only today.

/** The snapshot's job name (jobs.ts) and the advisory lock of its run. */
export const RISK_SNAPSHOT_JOB = 'risk_snapshot';

/** Participants scored per engine call by the backfill: the engine's two queries take the ids as one array. */
export const SNAPSHOT_BATCH_SIZE = 1000;

export type SnapshotOutcome =
  /** `refreshed`: stored risk states brought up to date first. */
  | { kind: 'taken'; snapshotDate: string; participants: number; refreshed: number }
  | { kind: 'exists'; snapshotDate: string }
  /** Another process holds the snapshot's lock, or the stored state's (bringing it up to date). */
  | { kind: 'locked'; snapshotDate: string }
  /** The process is stopping (`signal`) before the stored state was up to date: nothing taken. */
  | { kind: 'stopped'; snapshotDate: string };

/** Fills the day's rows inside the run's transaction; answers how many. */
type FillSnapshot = (trx: Transaction<Database>) => Promise<number>;

async function runSnapshot(
  db: Kysely<Database>,
  snapshotDate: string,
  startedAt: Date,
  fill: FillSnapshot,
  refreshed = 0,
): Promise<SnapshotOutcome> {
  return db.transaction().execute(async (trx): Promise<SnapshotOutcome> => {
    if (!(await tryTakeJobLock(trx, RISK_SNAPSHOT_JOB))) return { kind: 'locked', snapshotDate };
    if (await findSnapshotRun(trx, snapshotDate)) return { kind: 'exists', snapshotDate };
    await insertSnapshotRun(trx, snapshotDate, startedAt);
    const participants = await fill(trx);
    await finishSnapshotRun(trx, snapshotDate, new Date(), participants);
    return { kind: 'taken', snapshotDate, participants, refreshed };
  });
}

/** The engine's rows for a past day, `batchSize` participants per engine call. */
function fillFromEngine(asOf: DateTime, timeZone: string, batchSize: number): FillSnapshot {
  const snapshotDate = asOf.setZone(timeZone).toISODate()!;
  return async (trx) => {
    // Through the transaction: with a one-connection pool (embedded mode) `db` would wait for it.
    const settings = await loadRiskSettings(trx);
    const candidates = await listSnapshotCandidates(trx, snapshotDate);
    let participants = 0;
    for (let start = 0; start < candidates.length; start += batchSize) {
      const batch = candidates.slice(start, start + batchSize);
      const ids = batch.map((candidate) => candidate.participantId);
      const assessments = await assessRisk(trx, ids, asOf, timeZone, settings);
      participants += await insertSnapshotRows(trx, snapshotDate, snapshotRowsOf(batch, assessments));
    }
    return participants;
  };
}

function snapshotRowsOf(batch: SnapshotCandidate[], assessments: Map<number, RiskAssessment>) {
  return batch.flatMap((candidate) => {
    const assessment = assessments.get(candidate.participantId);
    if (!assessment) return [];
    return [
      {
        ...candidate,
        level: assessment.level,
        signals: assessment.reasons.map((reason) => ({ signal: reason.signal, level: reason.level })),
      },
    ];
  });
}

/**
 * Stores today's level and signals of every scored participant (organisation zone), once per day:
 * brings the stored risk state up to date (keepRiskStatesCurrent, in batches), then copies it in
 * one statement. Safe to call from any number of processes at once and any number of times a day:
 * only the first call of the day does the work. While another process brings the stored state up
 * to date it answers `locked` rather than copy rows that may be a day old.
 */
export async function takeDailySnapshot(
  db: Kysely<Database>,
  now: DateTime,
  timeZone: string,
  options: { signal?: AbortSignal } = {},
): Promise<SnapshotOutcome> {
  const snapshotDate = now.setZone(timeZone).toISODate()!;
  // The cheap check first: every process looks once a day, and most find the day done.
  if (await findSnapshotRun(db, snapshotDate)) return { kind: 'exists', snapshotDate };
  const upkeep = await keepRiskStatesCurrent(db, now, timeZone, options);
  if (upkeep.cutShort) return { kind: upkeep.cutShort, snapshotDate };
  return runSnapshot(
    db,
    snapshotDate,
    now.toJSDate(),
    (trx) => insertSnapshotFromRiskStates(trx, snapshotDate),
    upkeep.missing + upkeep.expired,
  );
}

/** Whether today's snapshot (organisation zone) has been taken. */
export async function hasDailySnapshot(db: Kysely<Database>, now: DateTime, timeZone: string): Promise<boolean> {
  return (await findSnapshotRun(db, now.setZone(timeZone).toISODate()!)) !== undefined;
}

/**
 * The demo's history of snapshots: one per week for the last `weeks` weeks, each as of its own
 * day, plus today's (the same as the daily run). Days that already have a run are left alone, so
 * calling it twice changes nothing. Coach and team are today's: the demo has no reassignments.
 */
export async function backfillSnapshots(
  db: Kysely<Database>,
  today: DateTime,
  weeks = 12,
  timeZone = today.zoneName ?? 'Europe/Amsterdam',
): Promise<SnapshotOutcome[]> {
  const localToday = today.setZone(timeZone);
  const outcomes: SnapshotOutcome[] = [];
  for (let week = weeks; week >= 1; week -= 1) {
    const day = localToday.minus({ weeks: week });
    const asOf = day.toISODate()!;
    outcomes.push(await runSnapshot(db, asOf, localToday.toJSDate(), fillFromEngine(day, timeZone, SNAPSHOT_BATCH_SIZE)));
  }
  outcomes.push(await takeDailySnapshot(db, localToday, timeZone));
  return outcomes;
}
