import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../db/schema';
import { participantVisibleTo } from '../db/access';
import type { Viewer } from '../lib/viewer';

// All Kysely code of the caseload-health page. Per-coach figures come from one query over the
// stored risk state, whatever the number of coaches or participants.

export interface CoachInView {
  id: number;
  displayName: string;
  teamId: number | null;
  teamName: string | null;
}

/** Coaches the viewer oversees: a manager's team, every coach for an admin (optionally one team). */
export async function listCoachesInView(
  db: Kysely<Database>,
  viewer: Viewer,
  teamId: number | undefined,
): Promise<CoachInView[]> {
  let query = db
    .selectFrom('users')
    .leftJoin('teams', 'teams.id', 'users.team_id')
    .select(['users.id', 'users.display_name as displayName', 'users.team_id as teamId', 'teams.name as teamName'])
    .where('users.role', '=', 'coach')
    .where('users.active', '=', true);
  if (viewer.role === 'manager') query = query.where('users.team_id', '=', viewer.teamId ?? -1);
  else if (viewer.role !== 'admin') query = query.where(sql<boolean>`false`);
  else if (teamId !== undefined) query = query.where('users.team_id', '=', teamId);
  return query.orderBy('users.display_name').orderBy('users.id').execute();
}

export async function listTeams(db: Kysely<Database>): Promise<Array<{ id: number; name: string }>> {
  return db.selectFrom('teams').select(['id', 'name']).orderBy('name').orderBy('id').execute();
}

export interface CoachFiguresRow {
  coachId: number;
  active: number;
  reached14: number;
  red: number;
  amber: number;
  overdue: number;
  contacts7: number;
  contacts30: number;
  goalsAchieved90: number;
  withActivePlacement: number;
}

/**
 * Per coach over their active caseload, in one query. The active caseload is who the risk engine
 * scores, as the stored risk state says (trajectory_start_date set): visible, not closed, in a
 * trajectory that has started. Reached, overdue, level and placement come from the stored columns
 * (risk/README.md "Stored state"); the contact and goal counts from one range scan each over the
 * window (contact_moments_occurred_at, goals_achieved_on), joined to the caseload, instead of one
 * probe per participant. "In the last N days" means a local date after today − N up to today, the
 * way the risk engine counts days (amber at 14 days unreached).
 */
export async function listCoachFigures(
  db: Kysely<Database>,
  viewer: Viewer,
  coachIds: number[],
  dates: { today: string; from7: string; from14: string; from30: string; from90: string },
  timeZone: string,
): Promise<CoachFiguresRow[]> {
  if (coachIds.length === 0) return [];
  // The first instant after the local day `day`: the bounds stay on the timestamptz itself, so the
  // index serves the range (comparing a computed local date cannot).
  const after = (day: string) => sql`((${day}::date + 1)::timestamp at time zone ${timeZone})`;
  const rows = await db
    .with('caseload', (qc) =>
      qc
        .selectFrom('participant_risk_states as state')
        .innerJoin('participants', 'participants.id', 'state.participant_id')
        .where(participantVisibleTo(viewer))
        .where('participants.coach_id', 'in', coachIds)
        .where('participants.status', '<>', 'closed')
        .where('state.trajectory_start_date', 'is not', null)
        .select([
          'participants.id as participant_id',
          'participants.coach_id',
          'state.level',
          'state.last_reached_on',
          'state.next_contact_date',
          'state.has_active_placement',
        ]),
    )
    .with('per_coach', (qc) =>
      qc
        .selectFrom('caseload')
        .select([
          'caseload.coach_id',
          sql<string>`count(*)`.as('active'),
          sql<string>`count(*) filter (where caseload.last_reached_on > ${dates.from14}::date)`.as('reached14'),
          sql<string>`count(*) filter (where caseload.level = 'red')`.as('red'),
          sql<string>`count(*) filter (where caseload.level = 'amber')`.as('amber'),
          sql<string>`count(*) filter (where caseload.next_contact_date < ${dates.today}::date)`.as('overdue'),
          sql<string>`count(*) filter (where caseload.has_active_placement)`.as('with_active_placement'),
        ])
        .groupBy('caseload.coach_id'),
    )
    .with('contacts', (qc) =>
      qc
        .selectFrom('contact_moments as c')
        .innerJoin('caseload', 'caseload.participant_id', 'c.participant_id')
        .where(sql<SqlBool>`c.occurred_at >= ${after(dates.from30)} and c.occurred_at < ${after(dates.today)}`)
        .select([
          'caseload.coach_id',
          sql<string>`count(*) filter (where c.occurred_at >= ${after(dates.from7)})`.as('contacts7'),
          sql<string>`count(*)`.as('contacts30'),
        ])
        .groupBy('caseload.coach_id'),
    )
    .with('goals', (qc) =>
      qc
        .selectFrom('goals as g')
        .innerJoin('caseload', 'caseload.participant_id', 'g.participant_id')
        .where('g.achieved_on', '>', dates.from90)
        .where('g.achieved_on', '<=', dates.today)
        .select(['caseload.coach_id', sql<string>`count(*)`.as('achieved')])
        .groupBy('caseload.coach_id'),
    )
    .selectFrom('per_coach')
    .leftJoin('contacts', 'contacts.coach_id', 'per_coach.coach_id')
    .leftJoin('goals', 'goals.coach_id', 'per_coach.coach_id')
    .select([
      'per_coach.coach_id as coachId',
      'per_coach.active',
      'per_coach.reached14',
      'per_coach.red',
      'per_coach.amber',
      'per_coach.overdue',
      'per_coach.with_active_placement as withActivePlacement',
      'contacts.contacts7',
      'contacts.contacts30',
      'goals.achieved as goalsAchieved90',
    ])
    .execute();
  return rows.map((row) => ({
    coachId: row.coachId,
    active: Number(row.active),
    reached14: Number(row.reached14),
    red: Number(row.red),
    amber: Number(row.amber),
    overdue: Number(row.overdue),
    contacts7: Number(row.contacts7 ?? 0),
    contacts30: Number(row.contacts30 ?? 0),
    goalsAchieved90: Number(row.goalsAchieved90 ?? 0),
    withActivePlacement: Number(row.withActivePlacement),
  }));
}

export interface SnapshotCountRow {
  snapshotDate: string;
  red: number;
  amber: number;
}

/** Red and amber counts per snapshot date since `from`, plus the latest date, for these coaches. */
export async function listSnapshotCounts(db: Kysely<Database>, coachIds: number[], from: string): Promise<SnapshotCountRow[]> {
  if (coachIds.length === 0) return [];
  const rows = await db
    .selectFrom('risk_snapshots')
    .select([
      sql<string>`risk_snapshots.snapshot_date::text`.as('snapshotDate'),
      sql<string>`count(*) filter (where risk_snapshots.level = 'red')`.as('red'),
      sql<string>`count(*) filter (where risk_snapshots.level = 'amber')`.as('amber'),
    ])
    .where('risk_snapshots.coach_id', 'in', coachIds)
    .where((eb) =>
      eb.or([
        eb('risk_snapshots.snapshot_date', '>=', from),
        eb(
          'risk_snapshots.snapshot_date',
          '=',
          eb
            .selectFrom('risk_snapshots as latest')
            .select(sql<string>`max(latest.snapshot_date)`.as('max'))
            .where('latest.coach_id', 'in', coachIds),
        ),
      ]),
    )
    .groupBy('risk_snapshots.snapshot_date')
    .orderBy('risk_snapshots.snapshot_date')
    .execute();
  return rows.map((row) => ({ snapshotDate: row.snapshotDate, red: Number(row.red), amber: Number(row.amber) }));
}
