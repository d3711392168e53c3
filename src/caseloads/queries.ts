import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { participantVisibleTo } from '../db/access';
import type { Viewer } from '../lib/viewer';

// All Kysely code of the caseload-health page. Per-coach figures come from one GROUP BY query,
// whatever the number of coaches or participants.

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

/**
 * The active caseload as the risk engine scores it: visible, not closed, with an open trajectory
 * that has started on or before today.
 */
function activeCaseload(db: Kysely<Database>, viewer: Viewer, coachIds: number[], today: string) {
  return db
    .selectFrom('participants')
    .where(participantVisibleTo(viewer))
    .where('participants.coach_id', 'in', coachIds)
    .where('participants.status', '<>', 'closed')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('trajectories')
          .select(sql<number>`1`.as('one'))
          .whereRef('trajectories.participant_id', '=', 'participants.id')
          .where('trajectories.actual_end_date', 'is', null)
          .where('trajectories.start_date', '<=', today),
      ),
    );
}

export async function listActiveParticipantIds(
  db: Kysely<Database>,
  viewer: Viewer,
  coachIds: number[],
  today: string,
): Promise<Array<{ id: number; coachId: number }>> {
  if (coachIds.length === 0) return [];
  return activeCaseload(db, viewer, coachIds, today).select(['participants.id', 'participants.coach_id as coachId']).execute();
}

export interface CoachFiguresRow {
  coachId: number;
  active: number;
  reached14: number;
  overdue: number;
  contacts7: number;
  contacts30: number;
  goalsAchieved90: number;
  withActivePlacement: number;
}

/**
 * Per coach over their active caseload, in one query. "In the last N days" means a local date
 * after today − N up to today, the way the risk engine counts days (amber at 14 days unreached).
 */
export async function listCoachFigures(
  db: Kysely<Database>,
  viewer: Viewer,
  coachIds: number[],
  dates: { today: string; from7: string; from14: string; from30: string; from90: string },
  timeZone: string,
): Promise<CoachFiguresRow[]> {
  if (coachIds.length === 0) return [];
  // "A local date after `from`, up to today" as bounds on the timestamptz itself, so the index on
  // (participant_id, occurred_at) serves the range (comparing a computed local date cannot).
  const withinLocalDays = (from: string) =>
    sql`c.occurred_at >= ((${from}::date + 1)::timestamp at time zone ${timeZone})
      and c.occurred_at < ((${dates.today}::date + 1)::timestamp at time zone ${timeZone})`;
  const rows = await activeCaseload(db, viewer, coachIds, dates.today)
    .select([
      'participants.coach_id as coachId',
      sql<string>`count(*)`.as('active'),
      sql<string>`count(*) filter (where exists (
        select 1 from contact_moments c where c.participant_id = participants.id
          and c.counterpart = 'participant' and c.outcome = 'reached'
          and ${withinLocalDays(dates.from14)}))`.as('reached14'),
      sql<string>`count(*) filter (where (
        select c.next_contact_date from contact_moments c where c.participant_id = participants.id
          order by c.occurred_at desc, c.id desc limit 1) < ${dates.today}::date)`.as('overdue'),
      sql<string>`coalesce(sum((select count(*) from contact_moments c where c.participant_id = participants.id
          and ${withinLocalDays(dates.from7)})), 0)`.as('contacts7'),
      sql<string>`coalesce(sum((select count(*) from contact_moments c where c.participant_id = participants.id
          and ${withinLocalDays(dates.from30)})), 0)`.as('contacts30'),
      sql<string>`coalesce(sum((select count(*) from goals g where g.participant_id = participants.id
          and g.achieved_on > ${dates.from90}::date and g.achieved_on <= ${dates.today}::date)), 0)`.as('goalsAchieved90'),
      sql<string>`count(*) filter (where exists (
        select 1 from placements pl where pl.participant_id = participants.id and pl.status = 'active'))`.as(
        'withActivePlacement',
      ),
    ])
    .groupBy('participants.coach_id')
    .execute();
  return rows.map((row) => ({
    coachId: row.coachId,
    active: Number(row.active),
    reached14: Number(row.reached14),
    overdue: Number(row.overdue),
    contacts7: Number(row.contacts7),
    contacts30: Number(row.contacts30),
    goalsAchieved90: Number(row.goalsAchieved90),
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
