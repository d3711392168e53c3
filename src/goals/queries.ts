import { participantVisibleTo, participantChangeableBy } from '../db/access';
import type { ContactChannel, ContactOutcome, GoalStatus, LifeDomain, ParticipantStatus } from '../db/schema';
import type { Viewer } from '../lib/viewer';
import type { Executor } from '../platform/executor';

export interface GoalRow {
  id: number;
  participantId: number;
  title: string;
  description: string | null;
  lifeDomain: LifeDomain;
  targetDate: string | null;
  agreedWithParticipant: boolean;
  status: GoalStatus;
  achievedOn: string | null;
  version: number;
  createdAt: Date;
  createdByName: string;
}

function goalBase(db: Executor) {
  return db
    .selectFrom('goals')
    .innerJoin('users as creator', 'creator.id', 'goals.created_by')
    .select([
      'goals.id',
      'goals.participant_id as participantId',
      'goals.title',
      'goals.description',
      'goals.life_domain as lifeDomain',
      'goals.target_date as targetDate',
      'goals.agreed_with_participant as agreedWithParticipant',
      'goals.status',
      'goals.achieved_on as achievedOn',
      'goals.version',
      'goals.created_at as createdAt',
      'creator.display_name as createdByName',
    ]);
}

export interface GoalWithLatestProgressRow extends GoalRow {
  latestNote: string | null;
  latestAt: Date | null;
}

/**
 * Every goal of a participant with its latest progress note, in one query (a lateral join picks
 * the newest note per goal), soonest target date first.
 */
export async function listGoalsOfParticipant(db: Executor, participantId: number): Promise<GoalWithLatestProgressRow[]> {
  return goalBase(db)
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('goal_progress')
          .select(['goal_progress.note', 'goal_progress.created_at'])
          .whereRef('goal_progress.goal_id', '=', 'goals.id')
          .orderBy('goal_progress.created_at', 'desc')
          .orderBy('goal_progress.id', 'desc')
          .limit(1)
          .as('latest'),
      (join) => join.onTrue(),
    )
    .select(['latest.note as latestNote', 'latest.created_at as latestAt'])
    .where('goals.participant_id', '=', participantId)
    .orderBy('goals.target_date', (ob) => ob.asc().nullsLast())
    .orderBy('goals.created_at')
    .orderBy('goals.id')
    .execute();
}

export interface VisibleGoalRow extends GoalRow {
  participantStatus: ParticipantStatus;
}

/**
 * One goal, only when it belongs to that participant and the viewer may see the participant: an
 * id from another caseload, or of another participant, finds nothing.
 */
export async function findVisibleGoal(
  db: Executor,
  viewer: Viewer,
  participantId: number,
  goalId: number,
): Promise<VisibleGoalRow | undefined> {
  return goalBase(db)
    .innerJoin('participants', 'participants.id', 'goals.participant_id')
    .where('goals.id', '=', goalId)
    .where('goals.participant_id', '=', participantId)
    .where(participantVisibleTo(viewer))
    .select('participants.status as participantStatus')
    .executeTakeFirst();
}

export interface ProgressRow {
  id: number;
  status: GoalStatus;
  note: string;
  createdAt: Date;
  authorName: string;
}

export async function listProgressOfGoal(db: Executor, goalId: number): Promise<ProgressRow[]> {
  return db
    .selectFrom('goal_progress')
    .innerJoin('users as author', 'author.id', 'goal_progress.author_id')
    .where('goal_progress.goal_id', '=', goalId)
    .select([
      'goal_progress.id',
      'goal_progress.status',
      'goal_progress.note',
      'goal_progress.created_at as createdAt',
      'author.display_name as authorName',
    ])
    .orderBy('goal_progress.created_at', 'desc')
    .orderBy('goal_progress.id', 'desc')
    .execute();
}

export interface LinkedContactRow {
  id: number;
  occurredAt: Date;
  channel: ContactChannel;
  outcome: ContactOutcome;
}

/** Contact moments linked to a goal, newest first; only the goal's own participant's. */
export async function listLinkedContacts(db: Executor, goalId: number, participantId: number): Promise<LinkedContactRow[]> {
  return db
    .selectFrom('goal_contact_links')
    .innerJoin('contact_moments', 'contact_moments.id', 'goal_contact_links.contact_moment_id')
    .where('goal_contact_links.goal_id', '=', goalId)
    .where('contact_moments.participant_id', '=', participantId)
    .select([
      'contact_moments.id',
      'contact_moments.occurred_at as occurredAt',
      'contact_moments.channel',
      'contact_moments.outcome',
    ])
    .orderBy('contact_moments.occurred_at', 'desc')
    .orderBy('contact_moments.created_at', 'desc')
    .orderBy('contact_moments.id', 'desc')
    .execute();
}

export interface GoalOptionRow {
  id: number;
  title: string;
  lifeDomain: LifeDomain;
}

/** Goals still being worked on (open or in progress), oldest first. */
export async function listOpenGoalOptions(db: Executor, participantId: number): Promise<GoalOptionRow[]> {
  return db
    .selectFrom('goals')
    .where('participant_id', '=', participantId)
    .where('status', 'in', ['open', 'in_progress'])
    .select(['id', 'title', 'life_domain as lifeDomain'])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export interface GoalColumns {
  title: string;
  description: string | null;
  life_domain: LifeDomain;
  target_date: string | null;
  agreed_with_participant: boolean;
}

export async function insertGoal(
  trx: Executor,
  values: GoalColumns & { participant_id: number; created_by: number },
  now: Date,
): Promise<number> {
  const row = await trx
    .insertInto('goals')
    .values({ ...values, status: 'open', created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Updates only when the goal still has `expectedVersion` and its participant may still be changed
 * by the viewer; returns whether it did.
 */
export async function updateGoalIfVersion(
  trx: Executor,
  viewer: Viewer,
  goalId: number,
  expectedVersion: number,
  values: Partial<GoalColumns> & { status?: GoalStatus; achieved_on?: string | null },
  now: Date,
): Promise<boolean> {
  const result = await trx
    .updateTable('goals')
    .set((eb) => ({ ...values, updated_at: now, version: eb('version', '+', 1) }))
    .where('goals.id', '=', goalId)
    .where('goals.version', '=', expectedVersion)
    .where(participantChangeableBy('goals', viewer))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertProgress(
  trx: Executor,
  values: { goalId: number; authorId: number; status: GoalStatus; note: string },
  now: Date,
): Promise<number> {
  const row = await trx
    .insertInto('goal_progress')
    .values({ goal_id: values.goalId, author_id: values.authorId, status: values.status, note: values.note, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
