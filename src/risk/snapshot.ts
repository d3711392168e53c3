import type { Kysely, Transaction } from 'kysely';
import { DateTime } from 'luxon';
import type { Database } from '../db/schema';
import { assessRisk, loadRiskSettings, type RiskAssessment, type RiskSettings } from './service';
import {
  findSnapshotRun,
  finishSnapshotRun,
  insertSnapshotRows,
  insertSnapshotRun,
  listSnapshotCandidates,
  tryTakeSnapshotLock,
  type SnapshotCandidate,
} from './snapshot-queries';

// The daily snapshot of every scored participant's level, for the caseload trend. One run per
// calendar day (organisation zone), whatever the number of app processes: the run happens inside
// one transaction that holds a transaction-scoped advisory lock, and a run row marks the day done.
// A second process that starts at the same moment either cannot take the lock (and skips) or
// takes it after the first committed and finds the day's run row (and skips).

/** Participants scored per engine call: the engine's two queries take the ids as one array. */
export const SNAPSHOT_BATCH_SIZE = 1000;

export type SnapshotOutcome =
  | { kind: 'taken'; snapshotDate: string; participants: number; batches: number }
  | { kind: 'exists'; snapshotDate: string }
  | { kind: 'locked'; snapshotDate: string };

type Assess = (trx: Transaction<Database>, ids: number[], settings: RiskSettings) => Promise<Map<number, RiskAssessment>>;

async function runSnapshot(
  db: Kysely<Database>,
  snapshotDate: string,
  startedAt: Date,
  assess: Assess,
  batchSize: number,
): Promise<SnapshotOutcome> {
  return db.transaction().execute(async (trx): Promise<SnapshotOutcome> => {
    if (!(await tryTakeSnapshotLock(trx))) return { kind: 'locked', snapshotDate };
    if (await findSnapshotRun(trx, snapshotDate)) return { kind: 'exists', snapshotDate };
    await insertSnapshotRun(trx, snapshotDate, startedAt);
    // Through the transaction: with a one-connection pool (embedded mode) `db` would wait for it.
    const settings = await loadRiskSettings(trx);
    const candidates = await listSnapshotCandidates(trx, snapshotDate);
    let participants = 0;
    let batches = 0;
    for (let start = 0; start < candidates.length; start += batchSize) {
      const batch = candidates.slice(start, start + batchSize);
      const assessments = await assess(
        trx,
        batch.map((candidate) => candidate.participantId),
        settings,
      );
      batches += 1;
      participants += await insertSnapshotRows(trx, snapshotDate, snapshotRowsOf(batch, assessments));
    }
    await finishSnapshotRun(trx, snapshotDate, new Date(), participants);
    return { kind: 'taken', snapshotDate, participants, batches };
  });
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
 * Scores every participant in an active trajectory and stores today's level and signals, once per
 * day (organisation zone). Safe to call from any number of processes at once and any number of
 * times a day: only the first call of the day does the work.
 */
export async function takeDailySnapshot(
  db: Kysely<Database>,
  now: DateTime,
  timeZone: string,
  options: { batchSize?: number } = {},
): Promise<SnapshotOutcome> {
  const today = now.setZone(timeZone).toISODate()!;
  return runSnapshot(
    db,
    today,
    now.toJSDate(),
    (trx, ids, settings) => assessRisk(trx, ids, now, timeZone, settings),
    options.batchSize ?? SNAPSHOT_BATCH_SIZE,
  );
}

/** Whether today's snapshot (organisation zone) has been taken: the scheduler's cheap check. */
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
    outcomes.push(
      await runSnapshot(
        db,
        asOf,
        localToday.toJSDate(),
        (trx, ids, settings) => assessRisk(trx, ids, day, timeZone, settings),
        SNAPSHOT_BATCH_SIZE,
      ),
    );
  }
  outcomes.push(await takeDailySnapshot(db, localToday, timeZone));
  return outcomes;
}
