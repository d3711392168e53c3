import { sql, type ExpressionBuilder } from 'kysely';
import { participantVisibleTo } from '../db/access';
import type { Database, TrajectoryKind, TrajectoryOutcome } from '../db/schema';
import type { Viewer } from '../lib/viewer';
import type { Executor } from '../platform/executor';

export interface TrajectoryRow {
  id: number;
  participantId: number;
  commissionerId: number;
  commissionerName: string;
  kind: TrajectoryKind;
  reference: string | null;
  startDate: string;
  plannedEndDate: string | null;
  actualEndDate: string | null;
  grantedHours: string;
  outcome: TrajectoryOutcome | null;
  version: number;
}

export async function listTrajectoriesOfParticipant(db: Executor, participantId: number): Promise<TrajectoryRow[]> {
  return db
    .selectFrom('trajectories')
    .innerJoin('commissioners', 'commissioners.id', 'trajectories.commissioner_id')
    .where('trajectories.participant_id', '=', participantId)
    .select([
      'trajectories.id',
      'trajectories.participant_id as participantId',
      'trajectories.commissioner_id as commissionerId',
      'commissioners.name as commissionerName',
      'trajectories.kind',
      'trajectories.reference',
      'trajectories.start_date as startDate',
      'trajectories.planned_end_date as plannedEndDate',
      'trajectories.actual_end_date as actualEndDate',
      'trajectories.granted_hours as grantedHours',
      'trajectories.outcome',
      'trajectories.version',
    ])
    .orderBy('trajectories.start_date', 'desc')
    .orderBy('trajectories.id', 'desc')
    .execute();
}

/**
 * Minutes of coaching a trajectory has used: the durations of its participant's contact moments
 * whose moment, as a calendar day in the organisation's zone, lies within the trajectory's dates
 * (an open trajectory has no upper bound). The day bounds are turned into instants so the
 * (participant_id, occurred_at) index answers it, and a 23- or 25-hour day is covered exactly.
 */
function minutesUsedOfTrajectory(eb: ExpressionBuilder<Database, 'trajectories'>, timeZone: string) {
  return eb
    .selectFrom('contact_moments')
    .select(sql<number>`coalesce(sum(contact_moments.duration_minutes), 0)::int`.as('minutes'))
    .whereRef('contact_moments.participant_id', '=', 'trajectories.participant_id')
    .where('contact_moments.occurred_at', '>=', sql<Date>`(trajectories.start_date::timestamp at time zone ${timeZone})`)
    .where((inner) =>
      inner.or([
        inner('trajectories.actual_end_date', 'is', null),
        inner(
          'contact_moments.occurred_at',
          '<',
          sql<Date>`((trajectories.actual_end_date + 1)::timestamp at time zone ${timeZone})`,
        ),
      ]),
    );
}

export interface TrajectoryWithMinutesRow extends TrajectoryRow {
  minutesUsed: number;
}

/** The participant's trajectories, newest first, each with its coaching minutes used (one query). */
export async function listTrajectoriesWithMinutesUsed(
  db: Executor,
  participantId: number,
  timeZone: string,
): Promise<TrajectoryWithMinutesRow[]> {
  const rows = await db
    .selectFrom('trajectories')
    .innerJoin('commissioners', 'commissioners.id', 'trajectories.commissioner_id')
    .where('trajectories.participant_id', '=', participantId)
    .select((eb) => [
      'trajectories.id',
      'trajectories.participant_id as participantId',
      'trajectories.commissioner_id as commissionerId',
      'commissioners.name as commissionerName',
      'trajectories.kind',
      'trajectories.reference',
      'trajectories.start_date as startDate',
      'trajectories.planned_end_date as plannedEndDate',
      'trajectories.actual_end_date as actualEndDate',
      'trajectories.granted_hours as grantedHours',
      'trajectories.outcome',
      'trajectories.version',
      minutesUsedOfTrajectory(eb, timeZone).as('minutesUsed'),
    ])
    .orderBy('trajectories.start_date', 'desc')
    .orderBy('trajectories.id', 'desc')
    .execute();
  return rows.map((row) => ({ ...row, minutesUsed: Number(row.minutesUsed ?? 0) }));
}

/** Coaching minutes used per trajectory, for any set of trajectories at once (reports). */
export async function listMinutesUsed(
  db: Executor,
  trajectoryIds: readonly number[],
  timeZone: string,
): Promise<Array<{ id: number; grantedHours: string; minutesUsed: number }>> {
  if (trajectoryIds.length === 0) return [];
  const rows = await db
    .selectFrom('trajectories')
    .where('trajectories.id', 'in', trajectoryIds)
    .select((eb) => [
      'trajectories.id',
      'trajectories.granted_hours as grantedHours',
      minutesUsedOfTrajectory(eb, timeZone).as('minutesUsed'),
    ])
    .execute();
  return rows.map((row) => ({ ...row, minutesUsed: Number(row.minutesUsed ?? 0) }));
}

export async function findOpenTrajectory(
  db: Executor,
  participantId: number,
): Promise<{ id: number; startDate: string } | undefined> {
  return db
    .selectFrom('trajectories')
    .where('participant_id', '=', participantId)
    .where('actual_end_date', 'is', null)
    .select(['id', 'start_date as startDate'])
    .executeTakeFirst();
}

export async function closeTrajectory(
  trx: Executor,
  id: number,
  endDate: string,
  outcome: TrajectoryOutcome,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('trajectories')
    .set((eb) => ({ actual_end_date: endDate, outcome, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

export interface TrajectoryRecord extends TrajectoryRow {
  commissionerActive: boolean;
}

/** One trajectory of one participant, only if the viewer may see that participant. */
export async function findVisibleTrajectory(
  db: Executor,
  viewer: Viewer,
  participantId: number,
  trajectoryId: number,
): Promise<TrajectoryRecord | undefined> {
  return db
    .selectFrom('trajectories')
    .innerJoin('participants', 'participants.id', 'trajectories.participant_id')
    .innerJoin('commissioners', 'commissioners.id', 'trajectories.commissioner_id')
    .where('trajectories.id', '=', trajectoryId)
    .where('trajectories.participant_id', '=', participantId)
    .where(participantVisibleTo(viewer))
    .select([
      'trajectories.id',
      'trajectories.participant_id as participantId',
      'trajectories.commissioner_id as commissionerId',
      'commissioners.name as commissionerName',
      'commissioners.active as commissionerActive',
      'trajectories.kind',
      'trajectories.reference',
      'trajectories.start_date as startDate',
      'trajectories.planned_end_date as plannedEndDate',
      'trajectories.actual_end_date as actualEndDate',
      'trajectories.granted_hours as grantedHours',
      'trajectories.outcome',
      'trajectories.version',
    ])
    .executeTakeFirst();
}

/**
 * Locks the participant's row for the rest of the transaction, only if the viewer may see the
 * participant and they are not closed. Every trajectory change takes this lock first, so two
 * creates for one participant, or a create racing the participant's closing, run one after the other.
 */
export async function lockVisibleOpenParticipant(trx: Executor, viewer: Viewer, participantId: number): Promise<boolean> {
  const row = await trx
    .selectFrom('participants')
    .where('participants.id', '=', participantId)
    .where('participants.status', '<>', 'closed')
    .where(participantVisibleTo(viewer))
    .select('participants.id')
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

export interface TrajectoryColumns {
  commissioner_id: number;
  kind: TrajectoryKind;
  reference: string | null;
  start_date: string;
  planned_end_date: string | null;
  granted_hours: string;
}

export async function insertTrajectory(
  trx: Executor,
  participantId: number,
  values: TrajectoryColumns,
  now: Date,
): Promise<number> {
  const row = await trx
    .insertInto('trajectories')
    .values({ ...values, participant_id: participantId, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Updates an open trajectory only when it still has `expectedVersion`; returns whether it did. */
export async function updateOpenTrajectoryIfVersion(
  trx: Executor,
  id: number,
  participantId: number,
  expectedVersion: number,
  values: TrajectoryColumns,
  now: Date,
): Promise<boolean> {
  const result = await trx
    .updateTable('trajectories')
    .set((eb) => ({ ...values, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('participant_id', '=', participantId)
    .where('version', '=', expectedVersion)
    .where('actual_end_date', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Closes an open trajectory only when it still has `expectedVersion`; returns whether it did. */
export async function closeOpenTrajectoryIfVersion(
  trx: Executor,
  id: number,
  participantId: number,
  expectedVersion: number,
  endDate: string,
  outcome: TrajectoryOutcome,
  now: Date,
): Promise<boolean> {
  const result = await trx
    .updateTable('trajectories')
    .set((eb) => ({ actual_end_date: endDate, outcome, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('participant_id', '=', participantId)
    .where('version', '=', expectedVersion)
    .where('actual_end_date', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
