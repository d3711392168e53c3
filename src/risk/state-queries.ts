import { sql } from 'kysely';
import type { RiskLevelName } from '../db/schema';
import type { Executor } from '../platform/executor';

/** A row of participant_risk_states as state.ts writes and compares it. */
export interface RiskStateRow {
  participantId: number;
  scoredOn: string;
  computedAt: Date;
  settingsVersion: number;
  validUntil: string | null;
  lastReachedAt: Date | null;
  lastReachedOn: string | null;
  lastContactAt: Date | null;
  nextContactDate: string | null;
  unreachedCount: number;
  hasActivePlacement: boolean;
  trajectoryStartDate: string | null;
  coachId: number;
  contacts7: number;
  contacts30: number;
  /** The nearest planned end of an open trajectory or placement (end_of_trajectory's facts). */
  plannedEndOn: string | null;
  level: RiskLevelName | null;
  reasons: unknown;
  /** Flagged and covered by the latest acknowledgement whose snooze has not ended (isAcknowledged). */
  acknowledged: boolean;
  /** Closed, kept until the closing day: no list shows it. */
  closed: boolean;
}

/** Inserts or replaces the rows, in one statement. */
export async function upsertRiskStates(trx: Executor, rows: RiskStateRow[]): Promise<void> {
  if (rows.length === 0) return;
  await trx
    .insertInto('participant_risk_states')
    .values(
      rows.map((row) => ({
        participant_id: row.participantId,
        scored_on: row.scoredOn,
        computed_at: row.computedAt,
        settings_version: row.settingsVersion,
        valid_until: row.validUntil,
        last_reached_at: row.lastReachedAt,
        last_reached_on: row.lastReachedOn,
        last_contact_at: row.lastContactAt,
        next_contact_date: row.nextContactDate,
        unreached_count: row.unreachedCount,
        has_active_placement: row.hasActivePlacement,
        trajectory_start_date: row.trajectoryStartDate,
        coach_id: row.coachId,
        contacts_7: row.contacts7,
        contacts_30: row.contacts30,
        planned_end_on: row.plannedEndOn,
        level: row.level,
        reasons: row.reasons === null ? null : JSON.stringify(row.reasons),
        acknowledged: row.acknowledged,
        closed: row.closed,
      })),
    )
    .onConflict((oc) =>
      oc.column('participant_id').doUpdateSet((eb) => ({
        scored_on: eb.ref('excluded.scored_on'),
        computed_at: eb.ref('excluded.computed_at'),
        settings_version: eb.ref('excluded.settings_version'),
        valid_until: eb.ref('excluded.valid_until'),
        last_reached_at: eb.ref('excluded.last_reached_at'),
        last_reached_on: eb.ref('excluded.last_reached_on'),
        last_contact_at: eb.ref('excluded.last_contact_at'),
        next_contact_date: eb.ref('excluded.next_contact_date'),
        unreached_count: eb.ref('excluded.unreached_count'),
        has_active_placement: eb.ref('excluded.has_active_placement'),
        trajectory_start_date: eb.ref('excluded.trajectory_start_date'),
        coach_id: eb.ref('excluded.coach_id'),
        contacts_7: eb.ref('excluded.contacts_7'),
        contacts_30: eb.ref('excluded.contacts_30'),
        planned_end_on: eb.ref('excluded.planned_end_on'),
        level: eb.ref('excluded.level'),
        reasons: eb.ref('excluded.reasons'),
        acknowledged: eb.ref('excluded.acknowledged'),
        closed: eb.ref('excluded.closed'),
      })),
    )
    .execute();
}

/** Removes the rows of the ids that are not kept (participants closed by now). */
export async function deleteRiskStatesExcept(trx: Executor, participantIds: number[], keep: number[]): Promise<void> {
  const gone = participantIds.filter((id) => !keep.includes(id));
  if (gone.length === 0) return;
  await trx.deleteFrom('participant_risk_states').where('participant_id', 'in', gone).execute();
}

export async function listRiskStates(db: Executor, participantIds: number[]): Promise<RiskStateRow[]> {
  if (participantIds.length === 0) return [];
  const rows = await db
    .selectFrom('participant_risk_states')
    .selectAll()
    .where('participant_id', 'in', participantIds)
    .orderBy('participant_id')
    .execute();
  return rows.map((row) => ({
    participantId: row.participant_id,
    scoredOn: row.scored_on,
    computedAt: row.computed_at,
    settingsVersion: row.settings_version,
    validUntil: row.valid_until,
    lastReachedAt: row.last_reached_at,
    lastReachedOn: row.last_reached_on,
    lastContactAt: row.last_contact_at,
    nextContactDate: row.next_contact_date,
    unreachedCount: row.unreached_count,
    hasActivePlacement: row.has_active_placement,
    trajectoryStartDate: row.trajectory_start_date,
    coachId: row.coach_id,
    contacts7: row.contacts_7,
    contacts30: row.contacts_30,
    plannedEndOn: row.planned_end_on,
    level: row.level,
    reasons: row.reasons,
    acknowledged: row.acknowledged,
    closed: row.closed,
  }));
}

/**
 * The next `limit` ids after `afterId` of every participant and every stored row (a closed
 * participant's row is there to be removed): what a full recompute walks through.
 */
export async function listParticipantIdsAfter(db: Executor, afterId: number, limit: number): Promise<number[]> {
  const result = await sql<{ id: number }>`
    select id from participants where id > ${afterId} order by id limit ${limit}
  `.execute(db);
  return result.rows.map((row) => row.id);
}

/** Ids whose row has reached its valid_until (the daily job's work), oldest id first. */
export async function listExpiredRiskStateIds(db: Executor, today: string, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('participant_risk_states')
    .select('participant_id')
    .where('valid_until', '<=', today)
    .orderBy('participant_id')
    .limit(limit)
    .execute();
  return rows.map((row) => row.participant_id);
}

/**
 * The next `limit` ids after `afterId` whose row is out of step without any write to tell: an open
 * participant (as listStateFacts counts them) without a row, a row computed with settings other
 * than those in force or naming another coach than the participant's (a reassignment by bulk SQL),
 * or a row left for a participant closed by now.
 */
export async function listStaleRiskStateIds(db: Executor, today: string, afterId: number, limit: number): Promise<number[]> {
  const result = await sql<{ id: number }>`
    select p.id
    from participants p
    left join participant_risk_states s on s.participant_id = p.id
    where p.id > ${afterId}
      and case
        when p.status <> 'closed' or p.closed_on > ${today}::date
          then s.participant_id is null
            or s.settings_version <> (select version from risk_settings where id = 1)
            or s.coach_id <> p.coach_id
        else s.participant_id is not null
      end
    order by p.id
    limit ${limit}
  `.execute(db);
  return result.rows.map((row) => row.id);
}

/**
 * Records the recompute a settings save starts, in the save's transaction: the version it brings
 * the rows to and how many rows there are to do (every stored row).
 */
export async function insertRiskRecompute(trx: Executor, settingsVersion: number, startedAt: Date): Promise<void> {
  await trx
    .insertInto('risk_recomputes')
    .columns(['settings_version', 'started_at', 'participants'])
    .expression((eb) =>
      eb
        .selectFrom('participant_risk_states')
        .select((inner) => [
          sql<number>`${settingsVersion}::integer`.as('settings_version'),
          sql<Date>`${startedAt}::timestamptz`.as('started_at'),
          inner.fn.countAll<number>().as('participants'),
        ]),
    )
    .execute();
}

export interface RiskRecomputeRow {
  settingsVersion: number;
  startedAt: Date;
  participants: number;
  finishedAt: Date | null;
  /** Rows still of older settings; 0 once finished (not counted then). */
  remaining: number;
}

/**
 * The recompute of the settings in force, if a save started one. While it runs, the rows still
 * to do are those of an older settings_version: counted on the settings_version index, so the
 * count shrinks with the work left and costs nothing once it is done.
 */
export async function findCurrentRiskRecompute(db: Executor): Promise<RiskRecomputeRow | undefined> {
  const row = await db
    .selectFrom('risk_recomputes as r')
    .innerJoin('risk_settings as s', (join) => join.on('s.id', '=', 1).onRef('s.version', '=', 'r.settings_version'))
    .select((eb) => [
      'r.settings_version',
      'r.started_at',
      'r.participants',
      'r.finished_at',
      eb
        .case()
        .when('r.finished_at', 'is', null)
        .then(
          eb
            .selectFrom('participant_risk_states as older')
            .select((inner) => inner.fn.countAll<number>().as('n'))
            .whereRef('older.settings_version', '<', 'r.settings_version'),
        )
        .else(0)
        .end()
        .as('remaining'),
    ])
    .executeTakeFirst();
  return row
    ? {
        settingsVersion: row.settings_version,
        startedAt: row.started_at,
        participants: row.participants,
        finishedAt: row.finished_at,
        remaining: Number(row.remaining ?? 0),
      }
    : undefined;
}

/**
 * Marks finished every recompute whose rows are all done: no stored row has an older
 * settings_version (one index probe each). Answers the versions it marked.
 */
export async function finishRiskRecomputes(db: Executor, finishedAt: Date): Promise<number[]> {
  const rows = await db
    .updateTable('risk_recomputes as r')
    .set({ finished_at: finishedAt })
    .where('r.finished_at', 'is', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('participant_risk_states as older')
            .select('older.participant_id')
            .whereRef('older.settings_version', '<', 'r.settings_version'),
        ),
      ),
    )
    .returning('r.settings_version')
    .execute();
  return rows.map((row) => row.settings_version);
}

export interface RiskTallyDifference {
  coachId: number;
  signal: string;
  level: string;
  acknowledged: boolean;
  /** Listed flagged rows under the key, counted now. */
  counted: number;
  /** What risk_state_tallies holds for it. */
  kept: number;
}

/**
 * The tallies the triggers keep (migration 20261206140000) against a count of the stored rows by
 * the rule spelled out here again, not through the triggers' key function: keys whose numbers differ.
 */
export async function listRiskTallyDifferences(db: Executor): Promise<RiskTallyDifference[]> {
  const result = await sql<{
    coach_id: number;
    signal: string;
    level: string;
    acknowledged: boolean;
    counted: number;
    kept: number;
  }>`
    with counted as (
      select s.coach_id, k.signal, s.level, s.acknowledged, count(*)::int as n
      from participant_risk_states s
      cross join lateral (
        select '' as signal
        union
        select distinct r ->> 'signal' from jsonb_array_elements(s.reasons) r
      ) k
      where s.level in ('amber', 'red') and s.closed = false
      group by s.coach_id, k.signal, s.level, s.acknowledged
    )
    select coalesce(c.coach_id, t.coach_id) as coach_id, coalesce(c.signal, t.signal) as signal,
      coalesce(c.level, t.level) as level, coalesce(c.acknowledged, t.acknowledged) as acknowledged,
      coalesce(c.n, 0) as counted, coalesce(t.participants, 0) as kept
    from counted c
    full join risk_state_tallies t
      on t.coach_id = c.coach_id and t.signal = c.signal and t.level = c.level and t.acknowledged = c.acknowledged
    where coalesce(c.n, 0) <> coalesce(t.participants, 0)
    order by 1, 2, 3, 4
  `.execute(db);
  return result.rows.map((row) => ({
    coachId: row.coach_id,
    signal: row.signal,
    level: row.level,
    acknowledged: row.acknowledged,
    counted: Number(row.counted),
    kept: Number(row.kept),
  }));
}
