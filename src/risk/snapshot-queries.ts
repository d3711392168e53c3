import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, RiskLevelName } from '../db/schema';
import type { ContactFactsRow, PlacementFactsRow } from './queries';

// The Kysely code of the daily snapshot (snapshot.ts). It lives beside queries.ts rather than in
// it so the snapshot and the engine can change independently; it is still the risk feature's own.

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * Serialises snapshot runs across app processes: any number of values would do, as long as no
 * other feature takes the same advisory lock. ("InBeeld risk snapshot" as a 32-bit number.)
 */
const SNAPSHOT_LOCK_KEY = 0x1bee1d05;

/** True when this transaction now holds the run lock; false when another process holds it. */
export async function tryTakeSnapshotLock(trx: Transaction<Database>): Promise<boolean> {
  const result = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${SNAPSHOT_LOCK_KEY}) as locked`.execute(trx);
  return result.rows[0]?.locked === true;
}

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

// ---------------------------------------------------------------------------------------------
// As of a past day, for the demo backfill. The engine's own queries (queries.ts) read the current
// state: every contact counts, even one logged after "today", and a placement's status is today's.
// These are the same facts restricted to what was known at the end of `asOf`.

/** listContactFacts as of the end of `asOf` (organisation zone): later contacts do not count. */
export async function listContactFactsAsOf(
  db: Executor,
  participantIds: number[],
  asOf: string,
  timeZone: string,
  wellbeingChecks: number,
): Promise<ContactFactsRow[]> {
  if (participantIds.length === 0) return [];
  // The first instant after the day `asOf` in the organisation's zone.
  const cutoff = sql`((${asOf}::date + 1)::timestamp at time zone ${timeZone})`;
  const result = await sql<{
    participant_id: number;
    trajectory_start_date: string;
    reached_on: string | null;
    unreached_count: number | string | null;
    last_unreached_on: string | null;
    next_contact_date: string | null;
    wellbeing: Array<{ on: string; social: number | null; rhythm: number | null }> | null;
  }>`
    select
      p.id as participant_id,
      tr.start_date as trajectory_start_date,
      (reached.occurred_at at time zone ${timeZone})::date as reached_on,
      failed.count as unreached_count,
      (failed.last_at at time zone ${timeZone})::date as last_unreached_on,
      latest.next_contact_date,
      checks.list as wellbeing
    from participants p
    join lateral (
      select t.start_date from trajectories t
      where t.participant_id = p.id and t.start_date <= ${asOf}::date
        and (t.actual_end_date is null or t.actual_end_date > ${asOf}::date)
      order by t.start_date desc limit 1
    ) tr on true
    left join lateral (
      select r.id, r.occurred_at from contact_moments r
      where r.participant_id = p.id and r.outcome = 'reached' and r.counterpart = 'participant' and r.occurred_at < ${cutoff}
      order by r.occurred_at desc, r.id desc limit 1
    ) reached on true
    left join lateral (
      select count(*) as count, max(f.occurred_at) as last_at from contact_moments f
      where f.participant_id = p.id and f.counterpart = 'participant' and f.outcome in ('not_reached', 'voicemail')
        and f.occurred_at < ${cutoff}
        and (reached.id is null or (f.occurred_at, f.id) > (reached.occurred_at, reached.id))
    ) failed on true
    left join lateral (
      select l.next_contact_date from contact_moments l
      where l.participant_id = p.id and l.occurred_at < ${cutoff}
      order by l.occurred_at desc, l.id desc limit 1
    ) latest on true
    left join lateral (
      select json_agg(json_build_object('on', w.on, 'social', w.social, 'rhythm', w.rhythm) order by w.occurred_at desc, w.id desc) as list
      from (
        select c.id, c.occurred_at, (c.occurred_at at time zone ${timeZone})::date as on,
          c.wellbeing_social as social, c.wellbeing_rhythm as rhythm
        from contact_moments c
        where c.participant_id = p.id and c.occurred_at < ${cutoff}
          and (c.wellbeing_social is not null or c.wellbeing_rhythm is not null)
        order by c.occurred_at desc, c.id desc limit ${wellbeingChecks}
      ) w
    ) checks on true
    where p.id = any(${participantIds}::int[]) and (p.status <> 'closed' or p.closed_on > ${asOf}::date)
  `.execute(db);
  return result.rows.map((row) => ({
    participantId: row.participant_id,
    trajectoryStartDate: row.trajectory_start_date,
    reachedOn: row.reached_on,
    unreachedCount: Number(row.unreached_count ?? 0),
    lastUnreachedOn: row.last_unreached_on,
    nextContactDate: row.next_contact_date,
    wellbeing: row.wellbeing ?? [],
  }));
}

/**
 * listPlacementFacts as of `asOf`. Only the current pause is stored (paused_since), so a placement
 * counts as paused on days from its paused_since on and as active before; an ended placement
 * counts as active on the days before its end date. Hours come from placement_hours, which keeps
 * every change, so they are exact.
 */
export async function listPlacementFactsAsOf(
  db: Executor,
  participantIds: number[],
  asOf: string,
  comparedWith: string,
): Promise<PlacementFactsRow[]> {
  if (participantIds.length === 0) return [];
  const result = await sql<{
    placement_id: number;
    participant_id: number;
    status: 'active' | 'paused';
    employer_name: string;
    paused_since: string | null;
    hours_now: string | null;
    hours_then: string | null;
  }>`
    select
      pl.id as placement_id,
      pl.participant_id,
      case when pl.status = 'paused' and pl.paused_since <= ${asOf}::date then 'paused' else 'active' end as status,
      e.name as employer_name,
      case when pl.status = 'paused' and pl.paused_since <= ${asOf}::date then pl.paused_since end as paused_since,
      (select h.hours_per_week from placement_hours h
        where h.placement_id = pl.id and h.effective_from <= ${asOf}::date
        order by h.effective_from desc, h.id desc limit 1) as hours_now,
      (select h.hours_per_week from placement_hours h
        where h.placement_id = pl.id and h.effective_from <= ${comparedWith}::date
        order by h.effective_from desc, h.id desc limit 1) as hours_then
    from placements pl
    join employers e on e.id = pl.employer_id
    where pl.participant_id = any(${participantIds}::int[]) and pl.start_date <= ${asOf}::date
      and (pl.status in ('active', 'paused') or pl.end_date > ${asOf}::date)
    order by pl.participant_id, pl.start_date, pl.id
  `.execute(db);
  return result.rows.map((row) => ({
    placementId: row.placement_id,
    participantId: row.participant_id,
    status: row.status,
    employerName: row.employer_name,
    pausedSince: row.paused_since,
    hoursNow: Number(row.hours_now ?? 0),
    hoursThen: Number(row.hours_then ?? 0),
  }));
}
