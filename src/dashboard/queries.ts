import { sql, type SqlBool } from 'kysely';
import { participantVisibleTo, teamCoachIds } from '../db/access';
import type { ContactChannel, ContactOutcome } from '../db/schema';
import type { Viewer } from '../lib/viewer';
import type { Executor } from '../platform/executor';

import type { RiskSignal } from '../risk/service';

/** What narrows the flagged list: every filter of the page but the level, which only the page applies. */
export interface FlaggedFilters {
  teamId?: number;
  coachId?: number;
  signal?: RiskSignal;
  acknowledged: 'all' | 'open' | 'acknowledged';
  /** Today in the organisation's zone: a snooze runs up to and including its date. */
  today: string;
}

/**
 * The participant's latest acknowledgement as one json value (risk_acknowledgements_participant
 * index). A subquery in the select list: PostgreSQL evaluates it after the sort and limit, so for
 * the page's rows only, not for every flagged row it sorts.
 */
const latestAcknowledgementJson = sql<{ by: string; at: string; note: string; snoozeUntil: string | null } | null>`(
  select json_build_object('by', ack_by.display_name, 'at', a.acknowledged_at, 'note', a.note, 'snoozeUntil', a.snooze_until)
  from risk_acknowledgements a join users ack_by on ack_by.id = a.acknowledged_by
  where a.participant_id = state.participant_id
  order by a.acknowledged_at desc, a.id desc limit 1
)`;

/**
 * The flagged (amber or red) participants the viewer sees, from the stored risk state, with every
 * filter but the level. The scored rule is the state's (trajectory_start_date set on scored_on);
 * closed participants keep a row until their closing day, marked closed, which no list shows.
 */
function flaggedInView(db: Executor, viewer: Viewer, filters: FlaggedFilters) {
  let query = db
    .selectFrom('participant_risk_states as state')
    .innerJoin('participants', 'participants.id', 'state.participant_id')
    .where(participantVisibleTo(viewer))
    .where('state.closed', '=', false)
    .where('state.level', 'in', ['amber', 'red']);
  if (filters.teamId !== undefined) {
    const teamId = filters.teamId;
    query = query.where('participants.coach_id', 'in', (eb) => teamCoachIds(eb, teamId));
  }
  if (filters.coachId !== undefined) query = query.where('participants.coach_id', '=', filters.coachId);
  if (filters.signal !== undefined) {
    query = query.where(sql<SqlBool>`state.reasons @> ${JSON.stringify([{ signal: filters.signal }])}::jsonb`);
  }
  if (filters.acknowledged !== 'all') query = query.where('state.acknowledged', '=', filters.acknowledged === 'acknowledged');
  return query;
}

/**
 * Red and amber among the flagged participants in view, under every filter but the level. One
 * query. An administrator's or manager's view is whole caseloads (every coach, or a team's), so the
 * per-coach tallies the stored state keeps answer it without reading the rows: its cost follows
 * the number of coaches, not participants. A coach's view (own caseload and stand-ins) counts its
 * few rows as the page lists them.
 */
export async function countFlagged(
  db: Executor,
  viewer: Viewer,
  filters: FlaggedFilters,
): Promise<{ red: number; amber: number }> {
  const row =
    viewer.role === 'coach'
      ? await flaggedInView(db, viewer, filters)
          .select([
            sql<string>`count(*) filter (where state.level = 'red')`.as('red'),
            sql<string>`count(*) filter (where state.level = 'amber')`.as('amber'),
          ])
          .executeTakeFirstOrThrow()
      : await tallyCounts(db, viewer, filters);
  return { red: Number(row.red), amber: Number(row.amber) };
}

/**
 * The counts of countFlagged from risk_state_tallies (kept by triggers on the stored rows, see its
 * migration): the rows of the signal ('' for any) of the coaches in view, summed per level.
 */
function tallyCounts(db: Executor, viewer: Viewer, filters: FlaggedFilters) {
  let query = db
    .selectFrom('risk_state_tallies as tally')
    .where('tally.signal', '=', filters.signal ?? '')
    .select([
      sql<string>`coalesce(sum(tally.participants) filter (where tally.level = 'red'), 0)`.as('red'),
      sql<string>`coalesce(sum(tally.participants) filter (where tally.level = 'amber'), 0)`.as('amber'),
    ]);
  if (viewer.role === 'manager') query = query.where('tally.coach_id', 'in', (eb) => teamCoachIds(eb, viewer.teamId));
  if (filters.teamId !== undefined) {
    const teamId = filters.teamId;
    query = query.where('tally.coach_id', 'in', (eb) => teamCoachIds(eb, teamId));
  }
  if (filters.coachId !== undefined) query = query.where('tally.coach_id', '=', filters.coachId);
  if (filters.acknowledged !== 'all') query = query.where('tally.acknowledged', '=', filters.acknowledged === 'acknowledged');
  return query.executeTakeFirstOrThrow();
}

export interface FlaggedRow {
  id: number;
  firstName: string;
  lastName: string;
  coachId: number;
  coachName: string;
  level: 'amber' | 'red';
  /** The stored reasons (RiskReason[]) of the day `scoredOn`: read them through assessmentOn. */
  reasons: unknown;
  scoredOn: string;
  lastReachedAt: Date | null;
  /** The latest acknowledgement when it is active (the stored state's acknowledged), else null. */
  acknowledgement: { by: string; at: Date; note: string; snoozeUntil: string | null } | null;
}

/**
 * One page of the flagged list in the dashboard's order: red first, then amber; within a level the
 * longest out of view first — never reached before anyone (the earliest trajectory start first),
 * then the earliest last reach; then by name as the participants list sorts it, and the id so a
 * page boundary never splits or repeats a tie.
 */
export async function listFlaggedPage(
  db: Executor,
  viewer: Viewer,
  filters: FlaggedFilters & { level?: 'amber' | 'red' },
  page: { limit: number; offset: number },
): Promise<FlaggedRow[]> {
  let query = flaggedInView(db, viewer, filters).innerJoin('users as coach', 'coach.id', 'participants.coach_id');
  if (filters.level !== undefined) query = query.where('state.level', '=', filters.level);
  const rows = await query
    .select([
      'participants.id',
      'participants.first_name as firstName',
      'participants.last_name as lastName',
      'participants.coach_id as coachId',
      'coach.display_name as coachName',
      'state.level',
      'state.reasons',
      'state.scored_on as scoredOn',
      'state.last_reached_at as lastReachedAt',
      latestAcknowledgementJson.as('latestAcknowledgement'),
      'state.acknowledged',
    ])
    // Expression for expression as the participant_risk_states_flagged_order index, so the planner walks it.
    .orderBy(sql`case state.level when 'red' then 0 else 1 end`)
    .orderBy(sql`state.last_reached_at is not null`)
    .orderBy(sql`case when state.last_reached_at is null then state.trajectory_start_date end`)
    .orderBy('state.last_reached_at')
    .orderBy(sql`lower(participants.last_name)`)
    .orderBy(sql`lower(participants.first_name)`)
    .orderBy('participants.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    firstName: row.firstName,
    lastName: row.lastName,
    coachId: row.coachId,
    coachName: row.coachName,
    level: row.level as 'amber' | 'red',
    reasons: row.reasons,
    scoredOn: String(row.scoredOn),
    lastReachedAt: row.lastReachedAt,
    acknowledgement:
      row.acknowledged && row.latestAcknowledgement
        ? { ...row.latestAcknowledgement, at: new Date(row.latestAcknowledgement.at) }
        : null,
  }));
}

export interface LastContactRow {
  participantId: number;
  occurredAt: Date;
  channel: ContactChannel;
  outcome: ContactOutcome;
}

/** The latest contact moment of each of these participants (the viewer may see), in one query. */
export async function listLastContacts(db: Executor, viewer: Viewer, participantIds: number[]): Promise<LastContactRow[]> {
  if (participantIds.length === 0) return [];
  return db
    .selectFrom('contact_moments')
    .innerJoin('participants', 'participants.id', 'contact_moments.participant_id')
    .distinctOn('contact_moments.participant_id')
    .select([
      'contact_moments.participant_id as participantId',
      'contact_moments.occurred_at as occurredAt',
      'contact_moments.channel',
      'contact_moments.outcome',
    ])
    .where('contact_moments.participant_id', 'in', participantIds)
    .where(participantVisibleTo(viewer))
    .orderBy('contact_moments.participant_id')
    .orderBy('contact_moments.occurred_at', 'desc')
    .orderBy('contact_moments.created_at', 'desc')
    .orderBy('contact_moments.id', 'desc')
    .execute();
}

export interface TeamOption {
  id: number;
  name: string;
}
export interface CoachOption {
  id: number;
  displayName: string;
}

/** Teams the viewer may filter on: an admin every team, a manager their own, a coach none. */
export async function listTeamOptions(db: Executor, viewer: Viewer): Promise<TeamOption[]> {
  if (viewer.role === 'coach') return [];
  let query = db.selectFrom('teams').select(['id', 'name']).orderBy('name').orderBy('id');
  if (viewer.role === 'manager') query = query.where('id', '=', viewer.teamId ?? -1);
  return query.execute();
}

/** Coaches whose caseload the viewer sees (a coach: their own and those they stand in for today). */
export async function listCoachOptions(db: Executor, viewer: Viewer): Promise<CoachOption[]> {
  return db
    .selectFrom('users')
    .where('users.role', '=', 'coach')
    .where((eb) =>
      viewer.role === 'admin'
        ? sql<boolean>`true`
        : viewer.role === 'manager'
          ? eb('users.team_id', '=', viewer.teamId ?? -1)
          : eb.or([
              eb('users.id', '=', viewer.userId),
              eb(
                'users.id',
                'in',
                eb.selectFrom('participants').select('participants.coach_id').where(participantVisibleTo(viewer)),
              ),
            ]),
    )
    .select(['users.id', 'users.display_name as displayName'])
    .orderBy('users.display_name')
    .orderBy('users.id')
    .execute();
}
