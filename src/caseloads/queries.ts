import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/schema';
import type { Page } from '../lib/pagination';
import type { Viewer } from '../lib/viewer';
import type { Executor } from '../platform/executor';
import type { CaseloadColumn } from './schemas';

// All Kysely code of the caseload-health page. Per-coach figures come from one query over the
// stored risk state, whatever the number of coaches or participants.

export interface CoachInView {
  id: number;
  displayName: string;
  teamId: number | null;
  teamName: string | null;
}

/**
 * Coaches the viewer oversees: a manager's team, every coach for an admin (optionally one team), in
 * the caseload page's team order (teams by name, coaches without a team last), so the service can
 * tell from positions alone which teams a page touches.
 */
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
  return query
    .orderBy(sql`teams.name nulls last`)
    .orderBy('users.team_id')
    .orderBy('users.display_name')
    .orderBy('users.id')
    .execute();
}

export async function listTeams(db: Kysely<Database>): Promise<Array<{ id: number; name: string }>> {
  return db.selectFrom('teams').select(['id', 'name']).orderBy('name').orderBy('id').execute();
}

export interface CoachFigures {
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

export interface CoachFiguresRow extends CoachInView {
  figures: CoachFigures;
  /** The sums over every coach of the row's team in view (not only those on the page). */
  teamFigures: CoachFigures;
}

const FIGURES = [
  'active',
  'reached14',
  'red',
  'amber',
  'overdue',
  'contacts7',
  'contacts30',
  'goalsAchieved90',
  'withActivePlacement',
] as const satisfies ReadonlyArray<keyof CoachFigures>;

/** The column the table sorts on, as SQL over the `figures` rows; a share without a caseload sorts as −1. */
function sortExpression(column: CaseloadColumn): RawBuilder<unknown> {
  const share = (part: string) => sql`case when active = 0 then -1 else round(${sql.ref(part)} * 1000.0 / active) / 10 end`;
  switch (column) {
    case 'coach':
      return sql`lower(display_name)`;
    case 'reachedPercent':
      return share('reached14');
    case 'placementPercent':
      return share('withActivePlacement');
    default:
      return sql.ref(column);
  }
}

/**
 * One page of coaches with their figures: teams by name (coaches without a team last), within a
 * team by the chosen column (ties by name), each row also carrying its team's totals (a window sum,
 * so a team split over two pages shows the same totals on both). `teams.ids` are every coach of the
 * teams the page touches (pageTeams in the service picks them), never the whole organisation: the
 * query aggregates those teams' caseloads only, so an administrator's page costs what a manager's
 * does at any size, and `page.offset` counts from the first of these coaches.
 *
 * Every figure is over the coach's active caseload — the participants the risk engine scores
 * (trajectory_start_date set) — read from the stored risk state (risk/README.md "Stored state")
 * with its coach, reach, overdue, placement and contact counts; the goals achieved in 90 days are
 * each participant's few goals found by their index (goals_participant_status covers achieved_on).
 * "In the last N days" means a local date after today − N up to today, the way the risk engine
 * counts days (amber at 14 days unreached).
 */
export async function listCoachFiguresPage(
  db: Kysely<Database>,
  teams: { ids: number[] },
  order: { sort: CaseloadColumn; dir: 'asc' | 'desc' },
  page: Page,
  dates: { today: string; from14: string; from90: string },
): Promise<CoachFiguresRow[]> {
  if (teams.ids.length === 0) return [];
  const direction = order.dir === 'asc' ? sql`asc` : sql`desc`;
  const teamSums = sql.join(
    FIGURES.map((name) => sql`sum(${sql.ref(name)}) over (partition by team_id) as ${sql.ref(`team_${name}`)}`),
  );
  const result = await sql<
    Record<string, unknown> & {
      id: number;
      display_name: string;
      team_id: number | null;
      team_name: string | null;
    }
  >`
    with coaches as (
      select u.id, u.display_name, u.team_id, t.name as team_name
      from users u left join teams t on t.id = u.team_id
      where u.id = any(${teams.ids}::int[])
    ),
    caseload as (
      select s.participant_id, s.coach_id, s.level, s.last_reached_on, s.next_contact_date,
        s.has_active_placement, s.contacts_7, s.contacts_30
      from participant_risk_states s
      -- The ids as an array, not a join with the CTE: joined to the CTE, PostgreSQL hashed its ids
      -- and scanned every stored row against them (43 ms at 100 000); the array reads the coach index.
      where s.coach_id = any(${teams.ids}::int[]) and s.trajectory_start_date is not null
    ),
    per_coach as (
      select coach_id, count(*) as active,
        count(*) filter (where last_reached_on > ${dates.from14}::date) as reached14,
        count(*) filter (where level = 'red') as red,
        count(*) filter (where level = 'amber') as amber,
        count(*) filter (where next_contact_date < ${dates.today}::date) as overdue,
        count(*) filter (where has_active_placement) as with_active_placement,
        sum(contacts_7) as contacts7, sum(contacts_30) as contacts30,
        sum((select count(*) from goals g
          where g.participant_id = caseload.participant_id and g.status = 'achieved'
            and g.achieved_on > ${dates.from90}::date and g.achieved_on <= ${dates.today}::date)) as achieved
      from caseload group by coach_id
    ),
    figures as (
      select coaches.*,
        coalesce(p.active, 0) as "active", coalesce(p.reached14, 0) as "reached14",
        coalesce(p.red, 0) as "red", coalesce(p.amber, 0) as "amber", coalesce(p.overdue, 0) as "overdue",
        coalesce(p.contacts7, 0) as "contacts7", coalesce(p.contacts30, 0) as "contacts30",
        coalesce(p.achieved, 0) as "goalsAchieved90", coalesce(p.with_active_placement, 0) as "withActivePlacement"
      from coaches
      left join per_coach p on p.coach_id = coaches.id
    )
    select figures.*, ${teamSums}
    from figures
    order by team_name nulls last, team_id, ${sortExpression(order.sort)} ${direction}, lower(display_name), id
    limit ${page.limit} offset ${page.offset}
  `.execute(db);
  const figuresOf = (row: Record<string, unknown>, prefix: string): CoachFigures =>
    Object.fromEntries(FIGURES.map((name) => [name, Number(row[`${prefix}${name}`] ?? 0)])) as unknown as CoachFigures;
  return result.rows.map((row) => ({
    id: row.id,
    displayName: row.display_name,
    teamId: row.team_id,
    teamName: row.team_name,
    figures: figuresOf(row, ''),
    teamFigures: figuresOf(row, 'team_'),
  }));
}

export interface SnapshotCountRow {
  snapshotDate: string;
  red: number;
  amber: number;
}

/**
 * The days with a snapshot since `from`, and the latest day with one (which may be older), in
 * date order, from the organisation's day totals (risk_snapshot_day_tallies: a row per day).
 */
export async function listSnapshotDays(db: Kysely<Database>, from: string): Promise<string[]> {
  const result = await sql<{ day: string }>`
    select snapshot_date::text as day from risk_snapshot_day_tallies where snapshot_date >= ${from}::date
    union
    select max(snapshot_date)::text from risk_snapshot_day_tallies having max(snapshot_date) is not null
    order by 1
  `.execute(db);
  return result.rows.map((row) => row.day);
}

/** Red and amber of the whole organisation on each of these snapshot days (risk_snapshot_day_tallies). */
export async function listOrganisationSnapshotCounts(db: Kysely<Database>, days: string[]): Promise<SnapshotCountRow[]> {
  if (days.length === 0) return [];
  const rows = await db
    .selectFrom('risk_snapshot_day_tallies as tally')
    .select([sql<string>`tally.snapshot_date::text`.as('snapshotDate'), 'tally.red', 'tally.amber'])
    .where(sql<boolean>`tally.snapshot_date = any(${days}::date[])`)
    .orderBy('tally.snapshot_date')
    .execute();
  return rows.map((row) => ({ snapshotDate: row.snapshotDate, red: row.red, amber: row.amber }));
}

/** Red and amber on each of these snapshot days for these coaches (risk_snapshot_tallies), days with any of their rows. */
export async function listSnapshotCounts(db: Kysely<Database>, coachIds: number[], days: string[]): Promise<SnapshotCountRow[]> {
  if (coachIds.length === 0 || days.length === 0) return [];
  const rows = await db
    .selectFrom('risk_snapshot_tallies as tally')
    .select([
      sql<string>`tally.snapshot_date::text`.as('snapshotDate'),
      sql<string>`sum(tally.red)`.as('red'),
      sql<string>`sum(tally.amber)`.as('amber'),
    ])
    .where(sql<boolean>`tally.snapshot_date = any(${days}::date[])`)
    .where('tally.coach_id', 'in', coachIds)
    .groupBy('tally.snapshot_date')
    .orderBy('tally.snapshot_date')
    .execute();
  return rows.map((row) => ({ snapshotDate: row.snapshotDate, red: Number(row.red), amber: Number(row.amber) }));
}

export interface CaseloadThresholdsRecord {
  reachedMinPercent: number;
  redMax: number;
  overdueMax: number;
  version: number;
  updatedAt: Date;
  updatedByName: string | null;
}

/** The attention thresholds (one row, id 1, made by its migration). */
export async function findCaseloadThresholds(db: Executor): Promise<CaseloadThresholdsRecord> {
  return db
    .selectFrom('caseload_thresholds')
    .leftJoin('users', 'users.id', 'caseload_thresholds.updated_by')
    .select([
      'caseload_thresholds.reached_min_percent as reachedMinPercent',
      'caseload_thresholds.red_max as redMax',
      'caseload_thresholds.overdue_max as overdueMax',
      'caseload_thresholds.version',
      'caseload_thresholds.updated_at as updatedAt',
      'users.display_name as updatedByName',
    ])
    .where('caseload_thresholds.id', '=', 1)
    .executeTakeFirstOrThrow();
}

/** Saves the thresholds only when the row still has `expectedVersion`; returns whether it did. */
export async function updateCaseloadThresholdsIfVersion(
  db: Executor,
  expectedVersion: number,
  values: { reachedMinPercent: number; redMax: number; overdueMax: number },
  actorUserId: number,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('caseload_thresholds')
    .set((eb) => ({
      reached_min_percent: values.reachedMinPercent,
      red_max: values.redMax,
      overdue_max: values.overdueMax,
      updated_at: now,
      updated_by: actorUserId,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', 1)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
