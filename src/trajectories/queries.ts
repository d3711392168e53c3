import type { Kysely, Transaction } from 'kysely';
import type { Database, TrajectoryKind, TrajectoryOutcome } from '../db/schema';

type Executor = Kysely<Database> | Transaction<Database>;

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

export async function findOpenTrajectory(db: Executor, participantId: number): Promise<{ id: number; startDate: string } | undefined> {
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
