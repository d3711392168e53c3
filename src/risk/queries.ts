import { sql, type RawBuilder } from 'kysely';
import { DateTime } from 'luxon';
import { participantVisibleTo } from '../db/access';
import { PREPARED_STATEMENT_MARK } from '../db/database';
import type { PlacementStatus } from '../db/schema';
import type { Viewer } from '../lib/viewer';
import type { Executor } from '../platform/executor';

/** The thresholds as the engine and the settings form use them (one row, id = 1). */
export interface RiskSettings {
  lastReachedAmberDays: number;
  lastReachedRedDays: number;
  unreachedAmberAttempts: number;
  unreachedRedAttempts: number;
  overdueAmberDays: number;
  overdueRedDays: number;
  noPlacementRedDays: number;
  hoursLookbackWeeks: number;
  hoursDropAmberPercent: number;
  hoursDropRedPercent: number;
  wellbeingLowScore: number;
  wellbeingDropPoints: number;
  wellbeingDropChecks: number;
  /** end_of_trajectory: amber from so many days before a planned end. */
  endWarningDays: number;
}

export interface RiskSettingsRecord extends RiskSettings {
  version: number;
  updatedAt: Date;
  updatedByName: string | null;
}

const SETTINGS_COLUMNS = {
  lastReachedAmberDays: 'last_reached_amber_days',
  lastReachedRedDays: 'last_reached_red_days',
  unreachedAmberAttempts: 'unreached_amber_attempts',
  unreachedRedAttempts: 'unreached_red_attempts',
  overdueAmberDays: 'overdue_amber_days',
  overdueRedDays: 'overdue_red_days',
  noPlacementRedDays: 'no_placement_red_days',
  hoursLookbackWeeks: 'hours_lookback_weeks',
  hoursDropAmberPercent: 'hours_drop_amber_percent',
  hoursDropRedPercent: 'hours_drop_red_percent',
  wellbeingLowScore: 'wellbeing_low_score',
  wellbeingDropPoints: 'wellbeing_drop_points',
  wellbeingDropChecks: 'wellbeing_drop_checks',
  endWarningDays: 'end_warning_days',
} as const satisfies Record<keyof RiskSettings, string>;

export const RISK_SETTING_FIELDS = Object.keys(SETTINGS_COLUMNS) as (keyof RiskSettings)[];

export async function findRiskSettings(db: Executor): Promise<RiskSettingsRecord | undefined> {
  const row = await db
    .selectFrom('risk_settings')
    .leftJoin('users', 'users.id', 'risk_settings.updated_by')
    .selectAll('risk_settings')
    .select('users.display_name as updatedByName')
    .where('risk_settings.id', '=', 1)
    .executeTakeFirst();
  if (!row) return undefined;
  const settings = Object.fromEntries(
    RISK_SETTING_FIELDS.map((field) => [field, Number(row[SETTINGS_COLUMNS[field]])]),
  ) as unknown as RiskSettings;
  return { ...settings, version: row.version, updatedAt: row.updated_at, updatedByName: row.updatedByName };
}

/** Saves the thresholds only when the row still has `expectedVersion`; returns whether it did. */
export async function updateRiskSettingsIfVersion(
  trx: Executor,
  expectedVersion: number,
  settings: RiskSettings,
  actorUserId: number,
  now: Date,
): Promise<boolean> {
  const columns = Object.fromEntries(RISK_SETTING_FIELDS.map((field) => [SETTINGS_COLUMNS[field], settings[field]]));
  const result = await trx
    .updateTable('risk_settings')
    .set((eb) => ({ ...columns, updated_at: now, updated_by: actorUserId, version: eb('version', '+', 1) }))
    .where('id', '=', 1)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * The contact facts of every scored participant, in one query whatever the number of ids. Only
 * participants in an active trajectory come back: not closed, with an open trajectory that has
 * started. Each lateral join reads a few index entries of one participant
 * (contact_moments_participant_time, contact_moments_participant_reached).
 * Calendar days (`…_on`) are in the organisation's time zone.
 */
export interface ContactFactsRow {
  participantId: number;
  trajectoryStartDate: string;
  reachedOn: string | null;
  unreachedCount: number;
  lastUnreachedOn: string | null;
  nextContactDate: string | null;
  /** The latest wellbeing checks, newest first (at most `wellbeingChecks`). */
  wellbeing: Array<{ on: string; social: number | null; rhythm: number | null }>;
  /** What is still open and has a planned end (end_of_trajectory), nearest end first. */
  ends: PlannedEndFactsRow[];
}

/**
 * A trajectory without a recorded end, or a placement that has not ended, with a planned end.
 * `nextStepOn` is the latest day on which something that may follow it begins: another trajectory
 * starting, another placement starting, or a trajectory closed with the outcome handover (its end).
 * Whether that counts as a next step depends on the warning period (service.ts evaluateRisk).
 */
export interface PlannedEndFactsRow {
  kind: 'trajectory' | 'placement';
  id: number;
  /** The commissioner of a trajectory, the employer of a placement. */
  name: string;
  plannedEnd: string;
  nextStepOn: string | null;
}

/**
 * What the stored risk state keeps beyond the engine's figures: for every open participant, scored
 * or not. `trajectoryStartDate` is null for a participant who is not scored today.
 */
export interface StateFactsRow extends Omit<ContactFactsRow, 'trajectoryStartDate'> {
  trajectoryStartDate: string | null;
  coachId: number;
  /** The placements running today, as listPlacementFacts gives them (comparing hours over the look-back). */
  placements: PlacementFactsRow[];
  lastReachedAt: Date | null;
  lastContactAt: Date | null;
  /** Contact moments of any kind on the local days after today − 7 (30) up to today. */
  contacts7: number;
  contacts30: number;
  /**
   * The first day after `today` on which a row of the participant's data starts or stops counting
   * by its date alone (a trajectory starting or ending, a contact logged a few minutes into
   * tomorrow, a placement starting, pausing or ending, hours taking effect now or on the look-back
   * day, a closing date, the oldest contact of the last 7 or 30 days leaving its window): the
   * queries would answer differently from that day on.
   */
  nextChangeOn: string | null;
  /** Closed, kept until the closing day (closed_on after today). */
  closed: boolean;
  /** The latest acknowledgement's snooze and flagged "signal:level" pairs; null: never acknowledged. */
  latestAcknowledgement: { snoozeUntil: string | null; flagged: string[] } | null;
}

/**
 * What the engine needs to know of each participant's contacts, as known at the end of `today`
 * (organisation zone): later contacts do not count, so the same query scores a past day for the
 * snapshot backfill and today for everything else.
 */
export async function listContactFacts(
  db: Executor,
  participantIds: number[],
  today: string,
  timeZone: string,
  wellbeingChecks: number,
): Promise<ContactFactsRow[]> {
  const rows = await queryContactFacts(db, participantIds, today, timeZone, wellbeingChecks, null);
  return rows.map(
    ({
      coachId: _coach,
      placements: _placements,
      lastReachedAt: _reachedAt,
      lastContactAt: _contactAt,
      contacts7: _7,
      contacts30: _30,
      nextChangeOn: _next,
      closed: _closed,
      latestAcknowledgement: _acknowledgement,
      ...row
    }) => ({
      ...row,
      trajectoryStartDate: row.trajectoryStartDate!,
    }),
  );
}

/**
 * The same facts as listContactFacts for every open participant among the ids (scored or not),
 * with the instants of the latest reach and contact and the next day their data changes by date
 * alone (hours compared over `lookbackWeeks`): what the stored risk state keeps. One query.
 */
export async function listStateFacts(
  db: Executor,
  participantIds: number[],
  today: string,
  timeZone: string,
  wellbeingChecks: number,
  lookbackWeeks: number,
): Promise<StateFactsRow[]> {
  return queryContactFacts(db, participantIds, today, timeZone, wellbeingChecks, lookbackWeeks);
}

/** One query for both: `lookbackWeeks` null scores (scored participants only), else the state's facts. */
async function queryContactFacts(
  db: Executor,
  participantIds: number[],
  today: string,
  timeZone: string,
  wellbeingChecks: number,
  lookbackWeeks: number | null,
): Promise<StateFactsRow[]> {
  if (participantIds.length === 0) return [];
  const forState = lookbackWeeks !== null;
  // The first instant after the day `today` in the organisation's zone.
  const cutoff = sql`((${today}::date + 1)::timestamp at time zone ${timeZone})`;
  const trajectoryJoin = forState ? sql`left join lateral` : sql`join lateral`;
  // The first instant of the local day after `today` − days: where the last `days` days begin.
  const windowStart = (days: number) => sql`((${today}::date - ${days - 1}::int)::timestamp at time zone ${timeZone})`;
  const stateColumns = forState
    ? sql`, p.coach_id, p.status = 'closed' as closed, ack.snooze_until as ack_snooze_until, ack.flagged as ack_flagged,
      reached.occurred_at as last_reached_at, latest.occurred_at as last_contact_at,
      recent.contacts_7, recent.contacts_30, running.list as placements, least(
        (select min(d) from trajectories t
          cross join lateral (values (t.start_date), (t.actual_end_date)) as v(d)
          where t.participant_id = p.id and d > ${today}::date),
        (select (min(c.occurred_at) at time zone ${timeZone})::date from contact_moments c
          where c.participant_id = p.id and c.occurred_at >= ${cutoff}),
        (select min(d) from placements pl
          cross join lateral (values (pl.start_date), (pl.paused_since), (pl.end_date)) as v(d)
          where pl.participant_id = p.id and d > ${today}::date),
        (select min(case when h.effective_from > ${today}::date then h.effective_from
                    else (h.effective_from + ${lookbackWeeks * 7}::int) end)
          from placement_hours h join placements pl on pl.id = h.placement_id
          where pl.participant_id = p.id
            and h.effective_from + ${lookbackWeeks * 7}::int > ${today}::date),
        case when p.closed_on > ${today}::date then p.closed_on end,
        recent.oldest_7 + 7,
        recent.oldest_30 + 30
      ) as next_change_on`
    : sql``;
  const comparedWith = forState ? DateTime.fromISO(today, { zone: 'utc' }).minus({ weeks: lookbackWeeks }).toISODate()! : today;
  const placementsJoin = forState
    ? sql`left join lateral (
      select json_agg(facts order by facts.start_date, facts.placement_id) as list
      from (${placementFactsSelect(sql`pl.participant_id = p.id`, today, comparedWith)}) facts
    ) running on true`
    : sql``;
  // Every write runs the state's variant for one participant, and planning it took five times as
  // long as running it: it keeps one plan per connection (database.ts, PREPARED_STATEMENT_MARK).
  const prepared = forState ? sql.raw(PREPARED_STATEMENT_MARK) : sql``;
  // The recent contacts by a range of contact_moments_participant_time, with the local day of the
  // oldest in each window: on that day + 7 (+ 30) it leaves the window and the count drops.
  const recentJoin = forState
    ? sql`left join lateral (
      select count(*) filter (where r.occurred_at >= ${windowStart(7)}) as contacts_7,
        count(*) as contacts_30,
        (min(r.occurred_at) filter (where r.occurred_at >= ${windowStart(7)}) at time zone ${timeZone})::date as oldest_7,
        (min(r.occurred_at) at time zone ${timeZone})::date as oldest_30
      from contact_moments r
      where r.participant_id = p.id and r.occurred_at >= ${windowStart(30)} and r.occurred_at < ${cutoff}
    ) recent on true`
    : sql``;
  // The latest acknowledgement (risk_acknowledgements_participant index): the state keeps whether it covers the flag.
  const acknowledgementJoin = forState
    ? sql`left join lateral (
      select a.snooze_until, a.flagged from risk_acknowledgements a
      where a.participant_id = p.id
      order by a.acknowledged_at desc, a.id desc limit 1
    ) ack on true`
    : sql``;
  const result = await sql<{
    participant_id: number;
    trajectory_start_date: string | null;
    reached_on: string | null;
    unreached_count: number | string | null;
    last_unreached_on: string | null;
    next_contact_date: string | null;
    wellbeing: Array<{ on: string; social: number | null; rhythm: number | null }> | null;
    ends: PlannedEndFactsRow[] | null;
    coach_id?: number;
    last_reached_at?: Date | null;
    last_contact_at?: Date | null;
    contacts_7?: number | string;
    contacts_30?: number | string;
    placements?: PlacementFactsDbRow[] | null;
    next_change_on?: string | null;
    closed?: boolean;
    ack_snooze_until?: string | null;
    ack_flagged?: unknown;
  }>`
    ${prepared}
    select
      p.id as participant_id,
      tr.start_date as trajectory_start_date,
      (reached.occurred_at at time zone ${timeZone})::date as reached_on,
      failed.count as unreached_count,
      (failed.last_at at time zone ${timeZone})::date as last_unreached_on,
      latest.next_contact_date,
      checks.list as wellbeing,
      ends.list as ends
      ${stateColumns}
    from participants p
    ${trajectoryJoin} (
      select t.start_date from trajectories t
      where t.participant_id = p.id and t.start_date <= ${today}::date
        and (t.actual_end_date is null or t.actual_end_date > ${today}::date)
      order by t.start_date desc limit 1
    ) tr on true
    left join lateral (
      select r.id, r.occurred_at, r.created_at from contact_moments r
      where r.participant_id = p.id and r.outcome = 'reached' and r.counterpart = 'participant' and r.occurred_at < ${cutoff}
      order by r.occurred_at desc, r.created_at desc, r.id desc limit 1
    ) reached on true
    left join lateral (
      select count(*) as count, max(f.occurred_at) as last_at from contact_moments f
      where f.participant_id = p.id and f.counterpart = 'participant' and f.outcome in ('not_reached', 'voicemail')
        and f.occurred_at < ${cutoff}
        and (reached.id is null or (f.occurred_at, f.created_at, f.id) > (reached.occurred_at, reached.created_at, reached.id))
    ) failed on true
    left join lateral (
      select l.next_contact_date, l.occurred_at from contact_moments l
      where l.participant_id = p.id and l.occurred_at < ${cutoff}
      order by l.occurred_at desc, l.created_at desc, l.id desc limit 1
    ) latest on true
    left join lateral (
      select json_agg(json_build_object('on', w.on, 'social', w.social, 'rhythm', w.rhythm) order by w.occurred_at desc, w.created_at desc, w.id desc) as list
      from (
        select c.id, c.occurred_at, c.created_at, (c.occurred_at at time zone ${timeZone})::date as on,
          c.wellbeing_social as social, c.wellbeing_rhythm as rhythm
        from contact_moments c
        where c.participant_id = p.id and c.occurred_at < ${cutoff}
          and (c.wellbeing_social is not null or c.wellbeing_rhythm is not null)
        order by c.occurred_at desc, c.created_at desc, c.id desc limit ${wellbeingChecks}
      ) w
    ) checks on true
    left join lateral (
      select json_agg(json_build_object('kind', e.kind, 'id', e.id, 'name', e.name, 'plannedEnd', e.planned_end,
          'nextStepOn', e.next_step_on) order by e.planned_end, e.kind desc, e.id) as list
      from (
        select 'trajectory' as kind, t.id, c.name, t.planned_end_date as planned_end,
          greatest(
            (select max(o.start_date) from trajectories o where o.participant_id = p.id and o.id <> t.id),
            (select max(o.actual_end_date) from trajectories o where o.participant_id = p.id and o.outcome = 'handover'),
            (select max(n.start_date) from placements n where n.participant_id = p.id)
          ) as next_step_on
        from trajectories t join commissioners c on c.id = t.commissioner_id
        where t.participant_id = p.id and t.actual_end_date is null and t.planned_end_date is not null
        union all
        select 'placement' as kind, pl.id, em.name, pl.planned_end_date as planned_end,
          greatest(
            (select max(o.start_date) from trajectories o where o.participant_id = p.id),
            (select max(o.actual_end_date) from trajectories o where o.participant_id = p.id and o.outcome = 'handover'),
            (select max(n.start_date) from placements n where n.participant_id = p.id and n.id <> pl.id)
          ) as next_step_on
        from placements pl join employers em on em.id = pl.employer_id
        where pl.participant_id = p.id and pl.status <> 'ended' and pl.planned_end_date is not null
      ) e
    ) ends on true
    ${recentJoin}
    ${placementsJoin}
    ${acknowledgementJoin}
    where p.id = any(${participantIds}::int[]) and (p.status <> 'closed' or p.closed_on > ${today}::date)
  `.execute(db);
  return result.rows.map((row) => ({
    participantId: row.participant_id,
    trajectoryStartDate: row.trajectory_start_date,
    reachedOn: row.reached_on,
    unreachedCount: Number(row.unreached_count ?? 0),
    lastUnreachedOn: row.last_unreached_on,
    nextContactDate: row.next_contact_date,
    wellbeing: row.wellbeing ?? [],
    ends: row.ends ?? [],
    coachId: row.coach_id ?? 0,
    lastReachedAt: row.last_reached_at ?? null,
    lastContactAt: row.last_contact_at ?? null,
    contacts7: Number(row.contacts_7 ?? 0),
    contacts30: Number(row.contacts_30 ?? 0),
    placements: (row.placements ?? []).map(placementFactsOf),
    nextChangeOn: row.next_change_on ?? null,
    closed: row.closed ?? false,
    latestAcknowledgement:
      row.ack_flagged === undefined || row.ack_flagged === null
        ? null
        : {
            snoozeUntil: row.ack_snooze_until ?? null,
            flagged: Array.isArray(row.ack_flagged) ? (row.ack_flagged as unknown[]).map(String) : [],
          },
  }));
}

/** An active or paused placement with the hours in force today and on the comparison day. */
export interface PlacementFactsRow {
  placementId: number;
  participantId: number;
  status: Exclude<PlacementStatus, 'ended'>;
  employerName: string;
  pausedSince: string | null;
  hoursNow: number;
  hoursThen: number;
}

/**
 * The placements of the participants that were running on `today`, in one query; the hours come
 * from the (placement_id, effective_from) unique index. Only the current pause is stored
 * (paused_since), so on a past day a placement counts as paused from its paused_since on and as
 * active before; an ended placement counts as active on the days before its end date.
 */
/**
 * The select of placementFacts rows for the participants that `forParticipant` picks: one source for
 * listPlacementFacts (the engine, a batch of ids) and the stored state's facts (a JSON lateral per
 * participant, so a write's refresh needs no second round trip).
 */
function placementFactsSelect(forParticipant: RawBuilder<unknown>, today: string, comparedWith: string): RawBuilder<unknown> {
  return sql`
    select
      pl.id as placement_id,
      pl.participant_id,
      case when pl.status = 'paused' and pl.paused_since <= ${today}::date then 'paused' else 'active' end as status,
      e.name as employer_name,
      case when pl.status = 'paused' and pl.paused_since <= ${today}::date then pl.paused_since end as paused_since,
      (select h.hours_per_week from placement_hours h
        where h.placement_id = pl.id and h.effective_from <= ${today}::date
        order by h.effective_from desc, h.id desc limit 1) as hours_now,
      (select h.hours_per_week from placement_hours h
        where h.placement_id = pl.id and h.effective_from <= ${comparedWith}::date
        order by h.effective_from desc, h.id desc limit 1) as hours_then,
      pl.start_date
    from placements pl
    join employers e on e.id = pl.employer_id
    where ${forParticipant} and pl.start_date <= ${today}::date
      and (pl.status in ('active', 'paused') or pl.end_date > ${today}::date)`;
}

interface PlacementFactsDbRow {
  placement_id: number;
  participant_id: number;
  status: 'active' | 'paused';
  employer_name: string;
  paused_since: string | null;
  hours_now: string | number | null;
  hours_then: string | number | null;
}

function placementFactsOf(row: PlacementFactsDbRow): PlacementFactsRow {
  return {
    placementId: row.placement_id,
    participantId: row.participant_id,
    status: row.status,
    employerName: row.employer_name,
    pausedSince: row.paused_since,
    hoursNow: Number(row.hours_now ?? 0),
    hoursThen: Number(row.hours_then ?? 0),
  };
}

/**
 * The placements of the participants that were running on `today`, in one query; the hours come
 * from the (placement_id, effective_from) unique index. Only the current pause is stored
 * (paused_since), so on a past day a placement counts as paused from its paused_since on and as
 * active before; an ended placement counts as active on the days before its end date.
 */
export async function listPlacementFacts(
  db: Executor,
  participantIds: number[],
  today: string,
  comparedWith: string,
): Promise<PlacementFactsRow[]> {
  if (participantIds.length === 0) return [];
  const result = await sql<PlacementFactsDbRow>`
    select * from (${placementFactsSelect(sql`pl.participant_id = any(${participantIds}::int[])`, today, comparedWith)}) facts
    order by participant_id, start_date, placement_id
  `.execute(db);
  return result.rows.map(placementFactsOf);
}

// ---------------------------------------------------------------------------------------------
// Acknowledgements

export interface AcknowledgementRow {
  participantId: number;
  byName: string;
  at: Date;
  note: string;
  snoozeUntil: string | null;
  level: 'amber' | 'red';
  /** The "signal:level" pairs flagged when the coach acknowledged. */
  flagged: string[];
}

/** The latest acknowledgement of each participant, in one query (risk_acknowledgements_participant index). */
export async function listLatestAcknowledgements(db: Executor, participantIds: number[]): Promise<AcknowledgementRow[]> {
  if (participantIds.length === 0) return [];
  const rows = await db
    .selectFrom('risk_acknowledgements as ack')
    .innerJoin('users', 'users.id', 'ack.acknowledged_by')
    .distinctOn('ack.participant_id')
    .select([
      'ack.participant_id as participantId',
      'users.display_name as byName',
      'ack.acknowledged_at as at',
      'ack.note',
      'ack.snooze_until as snoozeUntil',
      'ack.level',
      'ack.flagged',
    ])
    .where('ack.participant_id', 'in', participantIds)
    .orderBy('ack.participant_id')
    .orderBy('ack.acknowledged_at', 'desc')
    .orderBy('ack.id', 'desc')
    .execute();
  return rows.map((row) => ({
    ...row,
    level: row.level,
    flagged: Array.isArray(row.flagged) ? (row.flagged as unknown[]).map(String) : [],
  }));
}

export async function insertAcknowledgement(
  trx: Executor,
  values: {
    participantId: number;
    actorUserId: number;
    at: Date;
    note: string;
    snoozeUntil: string | null;
    level: 'amber' | 'red';
    flagged: string[];
  },
): Promise<number> {
  const row = await trx
    .insertInto('risk_acknowledgements')
    .values({
      participant_id: values.participantId,
      acknowledged_by: values.actorUserId,
      acknowledged_at: values.at,
      note: values.note,
      snooze_until: values.snoozeUntil,
      level: values.level,
      flagged: JSON.stringify(values.flagged),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Which of the ids the viewer may see (the access rule in SQL). */
export async function filterVisibleParticipantIds(db: Executor, viewer: Viewer, participantIds: number[]): Promise<number[]> {
  if (participantIds.length === 0) return [];
  const rows = await db
    .selectFrom('participants')
    .select('participants.id')
    .where('participants.id', 'in', participantIds)
    .where(participantVisibleTo(viewer))
    .execute();
  return rows.map((row) => row.id);
}
