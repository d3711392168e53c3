import { sql } from 'kysely';
import { participantVisibleTo } from '../db/access';
import type {
  ContactChannel,
  ContactCounterpart,
  ContactOutcome,
  GoalStatus,
  LifeDomain,
  ParticipantStatus,
  PlacementKind,
  TrajectoryKind,
  TrajectoryOutcome,
} from '../db/schema';
import type { Viewer } from '../lib/viewer';
import type { Executor } from '../platform/executor';

/** Instants bounding a report range: from `start` up to, not including, `before`. */
export interface InstantRange {
  start: Date;
  before: Date;
}

export interface ReportSubjectRow {
  participantId: number;
  firstName: string;
  lastName: string;
  participantStatus: ParticipantStatus;
  coachName: string;
  trajectoryId: number;
  commissionerName: string;
  kind: TrajectoryKind;
  reference: string | null;
  startDate: string;
  plannedEndDate: string | null;
  actualEndDate: string | null;
  grantedHours: string;
  outcome: TrajectoryOutcome | null;
}

/** The trajectory with its participant, only when it is that participant's and the viewer may see them (closed ones too). */
export async function findVisibleReportSubject(
  db: Executor,
  viewer: Viewer,
  participantId: number,
  trajectoryId: number,
): Promise<ReportSubjectRow | undefined> {
  return db
    .selectFrom('trajectories')
    .innerJoin('participants', 'participants.id', 'trajectories.participant_id')
    .innerJoin('users as coach', 'coach.id', 'participants.coach_id')
    .innerJoin('commissioners', 'commissioners.id', 'trajectories.commissioner_id')
    .where('trajectories.id', '=', trajectoryId)
    .where('trajectories.participant_id', '=', participantId)
    .where(participantVisibleTo(viewer))
    .select([
      'participants.id as participantId',
      'participants.first_name as firstName',
      'participants.last_name as lastName',
      'participants.status as participantStatus',
      'coach.display_name as coachName',
      'trajectories.id as trajectoryId',
      'commissioners.name as commissionerName',
      'trajectories.kind',
      'trajectories.reference',
      'trajectories.start_date as startDate',
      'trajectories.planned_end_date as plannedEndDate',
      'trajectories.actual_end_date as actualEndDate',
      'trajectories.granted_hours as grantedHours',
      'trajectories.outcome',
    ])
    .executeTakeFirst();
}

export interface LogbookRow {
  id: number;
  occurredAt: Date;
  durationMinutes: number;
  channel: ContactChannel;
  counterpart: ContactCounterpart;
  employerName: string | null;
  outcome: ContactOutcome;
  wellbeingMood: number | null;
  wellbeingRhythm: number | null;
  wellbeingSocial: number | null;
  wellbeingActivity: number | null;
}

/**
 * Every contact moment of the trajectory in the range, oldest first (a contact counts in one
 * trajectory only: on a handover day, not in both). Deliberately without the summary: it is free
 * text not written for the commissioner and may hold medical detail.
 */
export async function listLogbook(db: Executor, trajectoryId: number, range: InstantRange): Promise<LogbookRow[]> {
  return db
    .selectFrom('contact_moments')
    .leftJoin('employers', 'employers.id', 'contact_moments.employer_id')
    .where('contact_moments.trajectory_id', '=', trajectoryId)
    .where('contact_moments.occurred_at', '>=', range.start)
    .where('contact_moments.occurred_at', '<', range.before)
    .select([
      'contact_moments.id',
      'contact_moments.occurred_at as occurredAt',
      'contact_moments.duration_minutes as durationMinutes',
      'contact_moments.channel',
      'contact_moments.counterpart',
      'employers.name as employerName',
      'contact_moments.outcome',
      'contact_moments.wellbeing_mood as wellbeingMood',
      'contact_moments.wellbeing_rhythm as wellbeingRhythm',
      'contact_moments.wellbeing_social as wellbeingSocial',
      'contact_moments.wellbeing_activity as wellbeingActivity',
    ])
    .orderBy('contact_moments.occurred_at')
    .orderBy('contact_moments.created_at')
    .orderBy('contact_moments.id')
    .execute();
}

/** The goals each contact moment of the trajectory in the range served (goal_contact_links), by title. */
export async function listGoalsServed(
  db: Executor,
  trajectoryId: number,
  range: InstantRange,
): Promise<Array<{ contactMomentId: number; title: string }>> {
  return db
    .selectFrom('goal_contact_links')
    .innerJoin('contact_moments', 'contact_moments.id', 'goal_contact_links.contact_moment_id')
    .innerJoin('goals', 'goals.id', 'goal_contact_links.goal_id')
    .where('contact_moments.trajectory_id', '=', trajectoryId)
    .where('contact_moments.occurred_at', '>=', range.start)
    .where('contact_moments.occurred_at', '<', range.before)
    .select(['goal_contact_links.contact_moment_id as contactMomentId', 'goals.title'])
    .orderBy('goal_contact_links.contact_moment_id')
    .orderBy('goals.title')
    .orderBy('goals.id')
    .execute();
}

/** Minutes of the trajectory's contact moments in the range. */
export async function sumMinutes(db: Executor, trajectoryId: number, range: InstantRange): Promise<number> {
  const row = await db
    .selectFrom('contact_moments')
    .where('trajectory_id', '=', trajectoryId)
    .where('occurred_at', '>=', range.start)
    .where('occurred_at', '<', range.before)
    .select(sql<number>`coalesce(sum(duration_minutes), 0)::int`.as('minutes'))
    .executeTakeFirstOrThrow();
  return Number(row.minutes);
}

export interface ReportPlacementRow {
  id: number;
  employerName: string;
  kind: PlacementKind;
  jobTitle: string;
  startDate: string;
  endDate: string | null;
}

/** Placements of the participant that overlap the calendar days from..to (an open end overlaps everything after the start). */
export async function listPlacementsOverlapping(
  db: Executor,
  participantId: number,
  from: string,
  to: string,
): Promise<ReportPlacementRow[]> {
  return db
    .selectFrom('placements')
    .innerJoin('employers', 'employers.id', 'placements.employer_id')
    .where('placements.participant_id', '=', participantId)
    .where('placements.start_date', '<=', to)
    .where((eb) => eb.or([eb('placements.end_date', 'is', null), eb('placements.end_date', '>=', from)]))
    .select([
      'placements.id',
      'employers.name as employerName',
      'placements.kind',
      'placements.job_title as jobTitle',
      'placements.start_date as startDate',
      'placements.end_date as endDate',
    ])
    .orderBy('placements.start_date')
    .orderBy('placements.id')
    .execute();
}

/** Hours history of the placements as known by the day `upTo` (the note is free text and stays out). */
export async function listPlacementHours(
  db: Executor,
  placementIds: readonly number[],
  upTo: string,
): Promise<Array<{ placementId: number; effectiveFrom: string; hoursPerWeek: string }>> {
  if (placementIds.length === 0) return [];
  return db
    .selectFrom('placement_hours')
    .where('placement_id', 'in', placementIds)
    .where('effective_from', '<=', upTo)
    .select(['placement_id as placementId', 'effective_from as effectiveFrom', 'hours_per_week as hoursPerWeek'])
    .orderBy('placement_id')
    .orderBy('effective_from')
    .orderBy('id')
    .execute();
}

export interface ReportGoalRow {
  id: number;
  title: string;
  lifeDomain: LifeDomain;
  targetDate: string | null;
  status: GoalStatus;
  achievedOn: string | null;
  /** The newest progress note written before the end of the period, with the status it set. */
  latestNote: string | null;
  latestAt: Date | null;
  latestStatus: GoalStatus | null;
  /** Whether the goal has any progress note at all (also after the period). */
  hasProgress: boolean;
  /** Whether a note within the period made it achieved or dropped. */
  finishedInPeriod: boolean;
}

/**
 * Goals of the participant that existed by the end of the period, each with the latest progress
 * note up to then (one lateral join). Which of them the report shows is decided by the service.
 */
export async function listGoalsUpTo(db: Executor, participantId: number, period: InstantRange): Promise<ReportGoalRow[]> {
  const rows = await db
    .selectFrom('goals')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('goal_progress')
          .select(['goal_progress.note', 'goal_progress.created_at', 'goal_progress.status'])
          .whereRef('goal_progress.goal_id', '=', 'goals.id')
          .where('goal_progress.created_at', '<', period.before)
          .orderBy('goal_progress.created_at', 'desc')
          .orderBy('goal_progress.id', 'desc')
          .limit(1)
          .as('latest'),
      (join) => join.onTrue(),
    )
    .where('goals.participant_id', '=', participantId)
    .where('goals.created_at', '<', period.before)
    .select((eb) => [
      'goals.id',
      'goals.title',
      'goals.life_domain as lifeDomain',
      'goals.target_date as targetDate',
      'goals.status',
      'goals.achieved_on as achievedOn',
      'latest.note as latestNote',
      'latest.created_at as latestAt',
      'latest.status as latestStatus',
      eb
        .exists(
          eb
            .selectFrom('goal_progress as any_progress')
            .select(sql`1`.as('one'))
            .whereRef('any_progress.goal_id', '=', 'goals.id'),
        )
        .as('hasProgress'),
      eb
        .exists(
          eb
            .selectFrom('goal_progress as finishing')
            .select(sql`1`.as('one'))
            .whereRef('finishing.goal_id', '=', 'goals.id')
            .where('finishing.status', 'in', ['achieved', 'dropped'])
            .where('finishing.created_at', '>=', period.start)
            .where('finishing.created_at', '<', period.before),
        )
        .as('finishedInPeriod'),
    ])
    .orderBy('goals.target_date', (ob) => ob.asc().nullsLast())
    .orderBy('goals.created_at')
    .orderBy('goals.id')
    .execute();
  return rows.map((row) => ({ ...row, hasProgress: Boolean(row.hasProgress), finishedInPeriod: Boolean(row.finishedInPeriod) }));
}

export interface NarrativeRow {
  id: number;
  progress: string;
  nextSteps: string;
  version: number;
  updatedAt: Date;
  updatedByName: string;
}

export async function findNarrative(
  db: Executor,
  trajectoryId: number,
  from: string,
  to: string,
): Promise<NarrativeRow | undefined> {
  return db
    .selectFrom('trajectory_report_narratives as narrative')
    .innerJoin('users as author', 'author.id', 'narrative.updated_by')
    .where('narrative.trajectory_id', '=', trajectoryId)
    .where('narrative.period_from', '=', from)
    .where('narrative.period_to', '=', to)
    .select([
      'narrative.id',
      'narrative.progress',
      'narrative.next_steps as nextSteps',
      'narrative.version',
      'narrative.updated_at as updatedAt',
      'author.display_name as updatedByName',
    ])
    .executeTakeFirst();
}

/** The periods of the trajectory that have a saved narrative, newest period first. */
export async function listNarrativePeriods(db: Executor, trajectoryId: number): Promise<Array<{ from: string; to: string }>> {
  return db
    .selectFrom('trajectory_report_narratives')
    .where('trajectory_id', '=', trajectoryId)
    .where('version', '>', 0)
    .select(['period_from as from', 'period_to as to'])
    .orderBy('period_to', 'desc')
    .orderBy('period_from', 'desc')
    .execute();
}

/**
 * Makes sure the period has a narrative row, as an empty version 0 when there was none. Two first
 * saves at once both pass here (the second waits for the first's row and then does nothing) and
 * then meet in the versioned update, where only one of them can win.
 */
export async function ensureNarrativeRow(
  trx: Executor,
  values: { trajectoryId: number; from: string; to: string; userId: number; now: Date },
): Promise<void> {
  await trx
    .insertInto('trajectory_report_narratives')
    .values({
      trajectory_id: values.trajectoryId,
      period_from: values.from,
      period_to: values.to,
      progress: '',
      next_steps: '',
      updated_by: values.userId,
      version: 0,
      created_at: values.now,
      updated_at: values.now,
    })
    .onConflict((oc) => oc.columns(['trajectory_id', 'period_from', 'period_to']).doNothing())
    .execute();
}

/** Writes the narrative only when it still has `expectedVersion`; its id when it did. */
export async function updateNarrativeIfVersion(
  trx: Executor,
  values: {
    trajectoryId: number;
    from: string;
    to: string;
    expectedVersion: number;
    progress: string;
    nextSteps: string;
    userId: number;
    now: Date;
  },
): Promise<number | null> {
  const row = await trx
    .updateTable('trajectory_report_narratives')
    .set((eb) => ({
      progress: values.progress,
      next_steps: values.nextSteps,
      updated_by: values.userId,
      updated_at: values.now,
      version: eb('version', '+', 1),
    }))
    .where('trajectory_id', '=', values.trajectoryId)
    .where('period_from', '=', values.from)
    .where('period_to', '=', values.to)
    .where('version', '=', values.expectedVersion)
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}
