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
 * Minutes of coaching a trajectory has used: the durations of the contact moments that belong to
 * it (contact_moments.trajectory_id: each contact counts in one trajectory only).
 */
function minutesUsedOfTrajectory(eb: ExpressionBuilder<Database, 'trajectories'>) {
  return eb
    .selectFrom('contact_moments')
    .select(sql<number>`coalesce(sum(contact_moments.duration_minutes), 0)::int`.as('minutes'))
    .whereRef('contact_moments.trajectory_id', '=', 'trajectories.id');
}

export interface TrajectoryWithMinutesRow extends TrajectoryRow {
  minutesUsed: number;
}

/** The participant's trajectories, newest first, each with its coaching minutes used (one query). */
export async function listTrajectoriesWithMinutesUsed(db: Executor, participantId: number): Promise<TrajectoryWithMinutesRow[]> {
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
      minutesUsedOfTrajectory(eb).as('minutesUsed'),
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
): Promise<Array<{ id: number; grantedHours: string; minutesUsed: number }>> {
  if (trajectoryIds.length === 0) return [];
  const rows = await db
    .selectFrom('trajectories')
    .where('trajectories.id', 'in', trajectoryIds)
    .select((eb) => [
      'trajectories.id',
      'trajectories.granted_hours as grantedHours',
      minutesUsedOfTrajectory(eb).as('minutesUsed'),
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

/** The contact's day in the organisation's zone, as SQL. */
function localDayOf(timeZone: string) {
  return sql<string>`(contact_moments.occurred_at at time zone ${timeZone})::date`;
}

/** The trajectory covering the contact's day that started first (then the lowest id), as a subquery. */
function coveringTrajectory(eb: ExpressionBuilder<Database, 'contact_moments'>, day: ReturnType<typeof localDayOf>) {
  return eb
    .selectFrom('trajectories')
    .select('trajectories.id')
    .whereRef('trajectories.participant_id', '=', 'contact_moments.participant_id')
    .where('trajectories.start_date', '<=', day)
    .where((inner) =>
      inner.or([inner('trajectories.actual_end_date', 'is', null), inner('trajectories.actual_end_date', '>=', day)]),
    )
    .orderBy('trajectories.start_date')
    .orderBy('trajectories.id')
    .limit(1);
}

/**
 * Gives the participants' contact moments their trajectory by the rule (service.ts,
 * assignContactTrajectories), in one statement: a contact whose chosen trajectory still covers its
 * day keeps it; every other one gets the trajectory covering its day that started first (then the
 * lowest id), or none, and is no longer "chosen". Only rows that change are written; their version
 * stays (the coach changed nothing in them). Returns how many changed.
 */
export async function reassignContactTrajectories(
  trx: Executor,
  participantIds: readonly number[] | 'all',
  timeZone: string,
): Promise<number> {
  if (participantIds !== 'all' && participantIds.length === 0) return 0;
  const day = localDayOf(timeZone);
  const result = await trx
    .updateTable('contact_moments')
    .set((eb) => ({
      trajectory_id: coveringTrajectory(eb, day),
      trajectory_chosen: false,
    }))
    .$if(participantIds !== 'all', (query) => query.where('contact_moments.participant_id', 'in', participantIds as number[]))
    .where((eb) =>
      eb.not(
        eb.and([
          eb('contact_moments.trajectory_chosen', '=', true),
          eb.exists(
            eb
              .selectFrom('trajectories as chosen')
              .select('chosen.id')
              .whereRef('chosen.id', '=', 'contact_moments.trajectory_id')
              .where('chosen.start_date', '<=', day)
              .where((inner) =>
                inner.or([inner('chosen.actual_end_date', 'is', null), inner('chosen.actual_end_date', '>=', day)]),
              ),
          ),
        ]),
      ),
    )
    .where((eb) =>
      eb.or([
        eb('contact_moments.trajectory_chosen', '=', true),
        eb('contact_moments.trajectory_id', 'is distinct from', coveringTrajectory(eb, day)),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface CoveringTrajectoryRow {
  id: number;
  commissionerName: string;
  kind: TrajectoryKind;
  startDate: string;
  actualEndDate: string | null;
}

function trajectoryOptions(db: Executor, participantId: number) {
  return db
    .selectFrom('trajectories')
    .innerJoin('commissioners', 'commissioners.id', 'trajectories.commissioner_id')
    .where('trajectories.participant_id', '=', participantId)
    .select([
      'trajectories.id',
      'commissioners.name as commissionerName',
      'trajectories.kind',
      'trajectories.start_date as startDate',
      'trajectories.actual_end_date as actualEndDate',
    ])
    .orderBy('trajectories.start_date')
    .orderBy('trajectories.id');
}

/** The participant's trajectories whose dates cover the day, in the order of the rule (first started first). */
export async function listTrajectoriesCovering(
  db: Executor,
  participantId: number,
  day: string,
): Promise<CoveringTrajectoryRow[]> {
  return trajectoryOptions(db, participantId)
    .where('trajectories.start_date', '<=', day)
    .where((eb) => eb.or([eb('trajectories.actual_end_date', 'is', null), eb('trajectories.actual_end_date', '>=', day)]))
    .execute();
}

/**
 * The participant's trajectories that share at least one day with another of theirs: the ones a
 * contact form offers to choose between (plus `alsoId`, a contact's current choice), oldest first.
 */
export async function listOverlappingTrajectories(
  db: Executor,
  participantId: number,
  alsoId: number | null,
): Promise<CoveringTrajectoryRow[]> {
  return trajectoryOptions(db, participantId)
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('trajectories as other')
            .select('other.id')
            .whereRef('other.participant_id', '=', 'trajectories.participant_id')
            .whereRef('other.id', '<>', 'trajectories.id')
            .where((inner) =>
              inner.or([
                inner('other.actual_end_date', 'is', null),
                inner('other.actual_end_date', '>=', inner.ref('trajectories.start_date')),
              ]),
            )
            .where((inner) =>
              inner.or([
                inner('trajectories.actual_end_date', 'is', null),
                inner('other.start_date', '<=', inner.ref('trajectories.actual_end_date')),
              ]),
            ),
        ),
        eb('trajectories.id', '=', alsoId ?? -1),
      ]),
    )
    .execute();
}

/** Whether the trajectory is this participant's. */
export async function trajectoryBelongsTo(db: Executor, participantId: number, trajectoryId: number): Promise<boolean> {
  const row = await db
    .selectFrom('trajectories')
    .where('id', '=', trajectoryId)
    .where('participant_id', '=', participantId)
    .select('id')
    .executeTakeFirst();
  return row !== undefined;
}

// --- status follows the trajectory ---------------------------------------------------------------

/**
 * Participants in intake who have a trajectory running on `today` (started on or before it, not
 * ended before it), at most `limit`, locked for the rest of the transaction. `onlyId` narrows it to
 * one participant (a trajectory just saved).
 */
export async function lockIntakeParticipantsWithTrajectoryRunning(
  trx: Executor,
  today: string,
  limit: number,
  onlyId: number | null,
): Promise<Array<{ participantId: number; trajectoryId: number }>> {
  return trx
    .selectFrom('participants')
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('trajectories')
          .select('trajectories.id')
          .whereRef('trajectories.participant_id', '=', 'participants.id')
          .where('trajectories.start_date', '<=', today)
          .where((inner) =>
            inner.or([inner('trajectories.actual_end_date', 'is', null), inner('trajectories.actual_end_date', '>=', today)]),
          )
          .orderBy('trajectories.start_date')
          .orderBy('trajectories.id')
          .limit(1)
          .as('running'),
      (join) => join.onTrue(),
    )
    .where('participants.status', '=', 'intake')
    .$if(onlyId !== null, (query) => query.where('participants.id', '=', onlyId!))
    .select(['participants.id as participantId', 'running.id as trajectoryId'])
    .orderBy('participants.id')
    .limit(limit)
    .forUpdate('participants')
    .execute();
}

export async function markParticipantsActive(trx: Executor, participantIds: readonly number[], now: Date): Promise<void> {
  if (participantIds.length === 0) return;
  await trx
    .updateTable('participants')
    .set((eb) => ({ status: 'active', updated_at: now, version: eb('version', '+', 1) }))
    .where('id', 'in', participantIds)
    .where('status', '=', 'intake')
    .execute();
}
