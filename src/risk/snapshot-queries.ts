import { sql } from 'kysely';
import type { RiskLevelName } from '../db/schema';
import type { Executor } from '../platform/executor';

// The Kysely code of the daily snapshot (snapshot.ts). It lives beside queries.ts rather than in
// it so the snapshot and the engine can change independently; it is still the risk feature's own.

export async function findSnapshotRun(
  db: Executor,
  snapshotDate: string,
): Promise<{ snapshotDate: string; startedAt: Date; finishedAt: Date | null; participants: number } | undefined> {
  const row = await db
    .selectFrom('risk_snapshot_runs')
    .select(['snapshot_date', 'started_at', 'finished_at', 'participants'])
    .where('snapshot_date', '=', snapshotDate)
    .executeTakeFirst();
  return row
    ? { snapshotDate: row.snapshot_date, startedAt: row.started_at, finishedAt: row.finished_at, participants: row.participants }
    : undefined;
}

export async function insertSnapshotRun(trx: Executor, snapshotDate: string, startedAt: Date): Promise<void> {
  await trx
    .insertInto('risk_snapshot_runs')
    .values({ snapshot_date: snapshotDate, started_at: startedAt, participants: 0 })
    .execute();
}

export async function finishSnapshotRun(
  trx: Executor,
  snapshotDate: string,
  finishedAt: Date,
  participants: number,
): Promise<void> {
  await trx
    .updateTable('risk_snapshot_runs')
    .set({ finished_at: finishedAt, participants })
    .where('snapshot_date', '=', snapshotDate)
    .execute();
}

/**
 * Today's snapshot in one statement, from the stored risk state (which the caller has brought up
 * to date): every scored participant's level, and the signal and level of each reason in the
 * engine's order, with the coach and the coach's team of now. Answers the rows inserted; a row
 * already stored for that day and participant is left as it is.
 */
export async function insertSnapshotFromRiskStates(trx: Executor, snapshotDate: string): Promise<number> {
  const result = await trx
    .insertInto('risk_snapshots')
    .columns(['snapshot_date', 'participant_id', 'coach_id', 'team_id', 'level', 'signals'])
    .expression((eb) =>
      eb
        .selectFrom('participant_risk_states as s')
        .innerJoin('participants as p', 'p.id', 's.participant_id')
        .innerJoin('users as u', 'u.id', 'p.coach_id')
        .select([
          sql<string>`${snapshotDate}::date`.as('snapshot_date'),
          's.participant_id',
          'p.coach_id',
          'u.team_id',
          sql<RiskLevelName>`s.level`.as('level'),
          // The stored reasons carry their figures; the snapshot keeps signal and level only.
          sql<string>`(
            select coalesce(
              jsonb_agg(jsonb_build_object('signal', r.reason->>'signal', 'level', r.reason->>'level') order by r.position),
              '[]'::jsonb
            )
            from jsonb_array_elements(s.reasons) with ordinality as r(reason, position)
          )`.as('signals'),
        ])
        .where('s.level', 'is not', null),
    )
    .onConflict((oc) => oc.columns(['snapshot_date', 'participant_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

export interface SnapshotCandidate {
  participantId: number;
  coachId: number;
  teamId: number | null;
}

/**
 * Everyone who may be scored on `onDate`, with their coach and the coach's team: not closed by
 * then, with a trajectory that had started and not yet ended. The engine decides who is scored;
 * this only keeps the batches from carrying people who cannot be. Ordered by id for stable batches.
 */
export async function listSnapshotCandidates(db: Executor, onDate: string): Promise<SnapshotCandidate[]> {
  const result = await sql<{ participant_id: number; coach_id: number; team_id: number | null }>`
    select p.id as participant_id, p.coach_id, u.team_id
    from participants p
    join users u on u.id = p.coach_id
    where (p.status <> 'closed' or p.closed_on > ${onDate}::date)
      and exists (
        select 1 from trajectories t
        where t.participant_id = p.id and t.start_date <= ${onDate}::date
          and (t.actual_end_date is null or t.actual_end_date > ${onDate}::date)
      )
    order by p.id
  `.execute(db);
  return result.rows.map((row) => ({ participantId: row.participant_id, coachId: row.coach_id, teamId: row.team_id }));
}

export interface SnapshotRow {
  participantId: number;
  coachId: number;
  teamId: number | null;
  level: RiskLevelName;
  signals: Array<{ signal: string; level: 'amber' | 'red' }>;
}

/** One batch of rows; a row already stored for that day and participant is left as it is. */
export async function insertSnapshotRows(trx: Executor, snapshotDate: string, rows: SnapshotRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await trx
    .insertInto('risk_snapshots')
    .values(
      rows.map((row) => ({
        snapshot_date: snapshotDate,
        participant_id: row.participantId,
        coach_id: row.coachId,
        team_id: row.teamId,
        level: row.level,
        signals: JSON.stringify(row.signals),
      })),
    )
    .onConflict((oc) => oc.columns(['snapshot_date', 'participant_id']).doNothing())
    .returning('participant_id')
    .execute();
  return result.length;
}
