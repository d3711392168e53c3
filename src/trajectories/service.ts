import type { Kysely, Transaction } from 'kysely';
import type { Database, TrajectoryOutcome } from '../db/schema';
import { recordAuditEvent } from '../audit/service';
import { closeTrajectory, findOpenTrajectory, listTrajectoriesOfParticipant, type TrajectoryRow } from './queries';

export type { TrajectoryRow } from './queries';

/** Trajectories for a participant's profile, newest first. The caller has checked access. */
export async function trajectoriesForProfile(db: Kysely<Database>, participantId: number): Promise<TrajectoryRow[]> {
  return listTrajectoriesOfParticipant(db, participantId);
}

export async function openTrajectoryOf(
  db: Kysely<Database> | Transaction<Database>,
  participantId: number,
): Promise<{ id: number; startDate: string } | undefined> {
  return findOpenTrajectory(db, participantId);
}

/** Ends the participant's open trajectory with an outcome, inside the caller's transaction. */
export async function closeOpenTrajectoryOf(
  trx: Transaction<Database>,
  participantId: number,
  endDate: string,
  outcome: TrajectoryOutcome,
  actorUserId: number,
  now: Date,
): Promise<number | null> {
  const open = await findOpenTrajectory(trx, participantId);
  if (!open) return null;
  await closeTrajectory(trx, open.id, endDate, outcome, now);
  await recordAuditEvent(trx, {
    actorUserId,
    action: 'close',
    entityType: 'trajectory',
    entityId: open.id,
    participantId,
    details: { endDate, outcome },
  });
  return open.id;
}
