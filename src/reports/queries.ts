import { sql, type ExpressionBuilder } from 'kysely';
import { participantVisibleTo } from '../db/access';
import type { Database, TrajectoryKind, TrajectoryOutcome } from '../db/schema';
import type { Viewer } from '../lib/viewer';
import type { DayRange } from './periods';
import type { Executor } from '../platform/executor';

export interface CommissionerChoiceRow {
  id: number;
  name: string;
  active: boolean;
}

/**
 * Commissioners an export can be made for: the active ones, then deactivated ones that still fund
 * trajectories (their past periods are still reported), each group alphabetical.
 */
export async function listExportCommissioners(db: Executor): Promise<CommissionerChoiceRow[]> {
  return db
    .selectFrom('commissioners')
    .select(['commissioners.id', 'commissioners.name', 'commissioners.active'])
    .where((eb) =>
      eb.or([
        eb('commissioners.active', '=', true),
        eb.exists(
          eb
            .selectFrom('trajectories')
            .select('trajectories.id')
            .whereRef('trajectories.commissioner_id', '=', 'commissioners.id'),
        ),
      ]),
    )
    .orderBy('commissioners.active', 'desc')
    .orderBy(sql`lower(commissioners.name)`)
    .orderBy('commissioners.id')
    .execute();
}

export async function findCommissionerById(db: Executor, id: number): Promise<CommissionerChoiceRow | undefined> {
  return db
    .selectFrom('commissioners')
    .where('commissioners.id', '=', id)
    .select(['commissioners.id', 'commissioners.name', 'commissioners.active'])
    .executeTakeFirst();
}

/** WHERE fragment: the trajectory ran on at least one day of the period. */
function activeIn(period: DayRange) {
  return (eb: ExpressionBuilder<Database, 'trajectories'>) =>
    eb.and([
      eb('trajectories.start_date', '<=', period.to),
      eb.or([eb('trajectories.actual_end_date', 'is', null), eb('trajectories.actual_end_date', '>=', period.from)]),
    ]);
}

function visibleTrajectoriesActiveIn(db: Executor, viewer: Viewer, period: DayRange) {
  return db
    .selectFrom('trajectories')
    .innerJoin('participants', 'participants.id', 'trajectories.participant_id')
    .where(activeIn(period))
    .where(participantVisibleTo(viewer));
}

export interface ActiveTrajectoryRow {
  id: number;
  participantId: number;
  firstName: string;
  lastName: string;
  commissionerName: string;
  kind: TrajectoryKind;
  reference: string | null;
  startDate: string;
  plannedEndDate: string | null;
  actualEndDate: string | null;
}

/** One page of the viewer's trajectories that ran in the period, by participant name. */
export async function listTrajectoriesActiveIn(
  db: Executor,
  viewer: Viewer,
  period: DayRange,
  page: { limit: number; offset: number },
): Promise<ActiveTrajectoryRow[]> {
  return visibleTrajectoriesActiveIn(db, viewer, period)
    .innerJoin('commissioners', 'commissioners.id', 'trajectories.commissioner_id')
    .select([
      'trajectories.id',
      'trajectories.participant_id as participantId',
      'participants.first_name as firstName',
      'participants.last_name as lastName',
      'commissioners.name as commissionerName',
      'trajectories.kind',
      'trajectories.reference',
      'trajectories.start_date as startDate',
      'trajectories.planned_end_date as plannedEndDate',
      'trajectories.actual_end_date as actualEndDate',
    ])
    .orderBy(sql`lower(participants.last_name)`)
    .orderBy(sql`lower(participants.first_name)`)
    .orderBy('participants.id')
    .orderBy('trajectories.start_date')
    .orderBy('trajectories.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

export async function countTrajectoriesActiveIn(db: Executor, viewer: Viewer, period: DayRange): Promise<number> {
  const row = await visibleTrajectoriesActiveIn(db, viewer, period)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export interface PeriodExportQueryRow {
  id: number;
  /** Absent when pseudonymised: a reference identifies the person to whoever issued it. */
  reference?: string | null;
  kind: TrajectoryKind;
  startDate: string;
  plannedEndDate: string | null;
  actualEndDate: string | null;
  outcome: TrajectoryOutcome | null;
  grantedHours: string;
  participantId: number;
  /** Absent when pseudonymised: the names and birth date are never read then. */
  firstName?: string;
  lastName?: string;
  dateOfBirth?: string | null;
  /** Absent when pseudonymised: the coach's team is given instead. */
  coachName?: string;
  /** The coach's team (null for a coach without one). */
  teamName: string | null;
  // Aggregates of left lateral joins: always one row in practice, typed nullable by the join.
  minutesInPeriod: number | null;
  minutesUpToPeriodEnd: number | null;
  contactsInPeriod: number | null;
  reachedInPeriod: number | null;
  goalsAchieved: number | null;
  goalsTotal: number | null;
  /** Sum of the hours per week of the placements running at the period's end; null without any. */
  hoursPerWeek: string | null;
}

export interface PeriodExportScope {
  commissionerId: number;
  period: DayRange;
  /** The period's days as instants in the organisation's zone (end exclusive). */
  periodStart: Date;
  periodEndExclusive: Date;
  timeZone: string;
  pseudonymise: boolean;
}

/**
 * The rows of a period export: one per trajectory of the commissioner that ran in the period and
 * whose participant the viewer may see, ordered by reference (then id). One set-based query, each
 * trajectory's figures from lateral subqueries that the (participant_id, …) indexes answer, read
 * through a cursor in batches so a large export never sits in memory.
 *
 * Figures per trajectory:
 * - coaching minutes and contact moments count as in the trajectory's own hours: the contact
 *   moments that belong to the trajectory (one trajectory per contact, so an hour on a handover
 *   day is in one commissioner's export only), here also bounded by the period; "up to the period
 *   end" starts at the trajectory's start;
 * - goals: the participant's goals achieved on or before the period's last day, out of the goals
 *   that existed by then (a goal recorded late but achieved in time counts in both);
 * - hours per week: the placements running on the period's last day, each at the hours in effect
 *   that day.
 */
export function streamPeriodExportRows(
  db: Executor,
  viewer: Viewer,
  scope: PeriodExportScope,
  batchSize: number,
): AsyncIterableIterator<PeriodExportQueryRow> {
  const { period, periodStart, periodEndExclusive } = scope;
  // Rows by reference for those who may see it; a pseudonymised export keeps the order the
  // trajectories were made in, so its row order does not give the hidden references away.
  return db
    .selectFrom('trajectories')
    .innerJoin('participants', 'participants.id', 'trajectories.participant_id')
    .innerJoin('users as coach', 'coach.id', 'participants.coach_id')
    .leftJoin('teams as coach_team', 'coach_team.id', 'coach.team_id')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('contact_moments')
          .select([
            sql<number>`coalesce(sum(contact_moments.duration_minutes) filter (where contact_moments.occurred_at >= ${periodStart}), 0)::int`.as(
              'minutesInPeriod',
            ),
            sql<number>`coalesce(sum(contact_moments.duration_minutes), 0)::int`.as('minutesUpToPeriodEnd'),
            sql<number>`(count(*) filter (where contact_moments.occurred_at >= ${periodStart}))::int`.as('contactsInPeriod'),
            sql<number>`(count(*) filter (where contact_moments.occurred_at >= ${periodStart} and contact_moments.outcome = 'reached'))::int`.as(
              'reachedInPeriod',
            ),
          ])
          .whereRef('contact_moments.trajectory_id', '=', 'trajectories.id')
          .where('contact_moments.occurred_at', '<', periodEndExclusive)
          .as('contacts'),
      (join) => join.onTrue(),
    )
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('goals')
          .select([
            sql<number>`(count(*) filter (where goals.status = 'achieved' and goals.achieved_on <= ${period.to}::date))::int`.as(
              'goalsAchieved',
            ),
            sql<number>`(count(*) filter (where goals.created_at < ${periodEndExclusive}::timestamptz
              or (goals.status = 'achieved' and goals.achieved_on <= ${period.to}::date)))::int`.as('goalsTotal'),
          ])
          .whereRef('goals.participant_id', '=', 'trajectories.participant_id')
          .as('goal_counts'),
      (join) => join.onTrue(),
    )
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('placements')
          .select(
            sql<string | null>`sum((
              select placement_hours.hours_per_week from placement_hours
              where placement_hours.placement_id = placements.id and placement_hours.effective_from <= ${period.to}::date
              order by placement_hours.effective_from desc, placement_hours.id desc
              limit 1
            ))`.as('hoursPerWeek'),
          )
          .whereRef('placements.participant_id', '=', 'trajectories.participant_id')
          .where('placements.start_date', '<=', period.to)
          .where((inner) => inner.or([inner('placements.end_date', 'is', null), inner('placements.end_date', '>', period.to)]))
          .as('placement_hours_now'),
      (join) => join.onTrue(),
    )
    .where('trajectories.commissioner_id', '=', scope.commissionerId)
    .where(activeIn(period))
    .where(participantVisibleTo(viewer))
    .select([
      'trajectories.id',
      'trajectories.kind',
      'trajectories.start_date as startDate',
      'trajectories.planned_end_date as plannedEndDate',
      'trajectories.actual_end_date as actualEndDate',
      'trajectories.outcome',
      'trajectories.granted_hours as grantedHours',
      'participants.id as participantId',
      'coach_team.name as teamName',
      'contacts.minutesInPeriod',
      'contacts.minutesUpToPeriodEnd',
      'contacts.contactsInPeriod',
      'contacts.reachedInPeriod',
      'goal_counts.goalsAchieved',
      'goal_counts.goalsTotal',
      'placement_hours_now.hoursPerWeek',
    ])
    .$if(!scope.pseudonymise, (query) =>
      query.select([
        'trajectories.reference',
        'participants.first_name as firstName',
        'participants.last_name as lastName',
        'participants.date_of_birth as dateOfBirth',
        'coach.display_name as coachName',
      ]),
    )
    .$if(!scope.pseudonymise, (query) => query.orderBy(sql`trajectories.reference nulls last`))
    .orderBy('trajectories.id')
    .stream(batchSize);
}
