import type { Kysely, Transaction } from 'kysely';
import type { Database, TrajectoryOutcome } from '../db/schema';
import { recordAuditEvent } from '../platform/audit/service';
import { commissionerIsActive, listActiveCommissionerOptions } from '../commissioners/service';
import { FormRejection, notFound } from '../lib/errors';
import type { Viewer } from '../lib/viewer';
import { createOnce, type SubmissionOutcome } from '../platform/submissions/service';
import {
  closeOpenTrajectoryIfVersion,
  closeTrajectory,
  findOpenTrajectory,
  findVisibleTrajectory,
  insertTrajectory,
  listMinutesUsed,
  listTrajectoriesWithMinutesUsed,
  lockVisibleOpenParticipant,
  updateOpenTrajectoryIfVersion,
  type TrajectoryColumns,
  type TrajectoryRecord,
  type TrajectoryRow,
} from './queries';
import type { TrajectoryCloseForm, TrajectoryEditForm, TrajectoryInput } from './schemas';
import { refreshRiskStates } from '../risk/state';

export type { TrajectoryRecord, TrajectoryRow } from './queries';

/** The organisation's zone when a caller does not pass config.timeZone (the configuration's default too). */
const DEFAULT_TIME_ZONE = 'Europe/Amsterdam';

/** Coaching hours of one trajectory: what its contact moments used against what was granted. */
export interface CoachingHours {
  minutesUsed: number;
  /** Minutes as hours, rounded to hundredths. */
  hoursUsed: number;
  grantedHours: number;
  /** Whole percent of the granted hours used (rounded down); null when no hours were granted. */
  percentUsed: number | null;
  /** nearLimit from 90 % of the granted hours, overLimit beyond them (the commissioner pays no more). */
  warning: 'nearLimit' | 'overLimit' | null;
}

export function coachingHoursOf(minutesUsed: number, grantedHours: string | number): CoachingHours {
  const granted = Number(grantedHours);
  // Compared in whole minutes, so 90 % and 100 % are exact rather than subject to float rounding.
  const grantedMinutes = Math.round(granted * 60);
  let warning: CoachingHours['warning'] = null;
  if (minutesUsed > grantedMinutes) warning = 'overLimit';
  else if (grantedMinutes > 0 && minutesUsed * 10 >= grantedMinutes * 9) warning = 'nearLimit';
  return {
    minutesUsed,
    hoursUsed: Math.round((minutesUsed * 100) / 60) / 100,
    grantedHours: granted,
    percentUsed: grantedMinutes > 0 ? Math.floor((minutesUsed * 100) / grantedMinutes) : null,
    warning,
  };
}

export interface TrajectoryWithHours extends TrajectoryRow {
  hours: CoachingHours;
}

/**
 * Trajectories for a participant's profile, newest first, each with its coaching hours used. The
 * caller has checked access; pass config.timeZone so "within the trajectory's dates" means the
 * organisation's calendar days.
 */
export async function trajectoriesForProfile(
  db: Kysely<Database>,
  participantId: number,
  timeZone: string = DEFAULT_TIME_ZONE,
): Promise<TrajectoryWithHours[]> {
  const rows = await listTrajectoriesWithMinutesUsed(db, participantId, timeZone);
  return rows.map(({ minutesUsed, ...row }) => ({ ...row, hours: coachingHoursOf(minutesUsed, row.grantedHours) }));
}

/** Coaching hours used against granted for any trajectories at once (one query), keyed by trajectory id. */
export async function hoursUsedOf(
  db: Kysely<Database> | Transaction<Database>,
  trajectoryIds: readonly number[],
  timeZone: string,
): Promise<Map<number, CoachingHours>> {
  const rows = await listMinutesUsed(db, trajectoryIds, timeZone);
  return new Map(rows.map((row) => [row.id, coachingHoursOf(row.minutesUsed, row.grantedHours)]));
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

/** A trajectory of this participant that the viewer may see, or undefined (the route answers 404). */
export async function findTrajectory(
  db: Kysely<Database>,
  viewer: Viewer,
  participantId: number,
  trajectoryId: number,
): Promise<TrajectoryRecord | undefined> {
  return findVisibleTrajectory(db, viewer, participantId, trajectoryId);
}

export interface CommissionerChoice {
  id: number;
  name: string;
  active: boolean;
}

/** Commissioners to choose from: the active ones, plus the trajectory's own when it has been deactivated since. */
export async function commissionerChoices(
  db: Kysely<Database>,
  current?: { commissionerId: number; commissionerName: string; commissionerActive: boolean },
): Promise<CommissionerChoice[]> {
  const choices = (await listActiveCommissionerOptions(db)).map(({ id, name }) => ({ id, name, active: true }));
  if (current && !choices.some((choice) => choice.id === current.commissionerId)) {
    choices.push({ id: current.commissionerId, name: current.commissionerName, active: false });
  }
  return choices;
}

const ALREADY_OPEN = { _form: 'trajectories.form.alreadyOpen' };

/** The partial unique index is the last line of defence against a second open trajectory. */
function isSecondOpenTrajectory(error: unknown): boolean {
  const candidate = error as { code?: unknown; constraint?: unknown };
  return candidate.code === '23505' && candidate.constraint === 'trajectories_one_open_per_participant';
}

function columnsOf(input: TrajectoryInput): TrajectoryColumns {
  return {
    commissioner_id: input.commissionerId,
    kind: input.kind,
    reference: input.reference,
    start_date: input.startDate,
    planned_end_date: input.plannedEndDate,
    granted_hours: input.grantedHours.toFixed(2),
  };
}

export async function createTrajectory(
  db: Kysely<Database>,
  viewer: Viewer,
  participantId: number,
  input: TrajectoryInput,
  submissionToken: string,
  now: Date,
): Promise<SubmissionOutcome<number>> {
  try {
    return await createOnce(db, submissionToken, viewer.userId, now, async (trx) => {
      // Checked after the token is claimed: a double submit then lands on the first one's result
      // instead of being told that the participant already has an open trajectory.
      if (!(await lockVisibleOpenParticipant(trx, viewer, participantId))) throw notFound();
      if (!(await commissionerIsActive(trx, input.commissionerId))) {
        throw new FormRejection({ commissionerId: 'trajectories.form.commissionerUnavailable' });
      }
      if (await findOpenTrajectory(trx, participantId)) throw new FormRejection(ALREADY_OPEN);
      const id = await insertTrajectory(trx, participantId, columnsOf(input), now);
      await recordAuditEvent(trx, {
        actorUserId: viewer.userId,
        action: 'create',
        entityType: 'trajectory',
        entityId: id,
        participantId,
        details: { commissionerId: input.commissionerId, kind: input.kind, startDate: input.startDate },
      });
      await refreshRiskStates(trx, [participantId], now, viewer.timeZone);
      return { value: id, path: `/participants/${participantId}` };
    });
  } catch (error) {
    if (isSecondOpenTrajectory(error)) throw new FormRejection(ALREADY_OPEN);
    throw error;
  }
}

export type TrajectoryChangeOutcome =
  | { kind: 'saved' }
  | { kind: 'conflict'; current: TrajectoryRecord }
  | { kind: 'closed'; current: TrajectoryRecord }
  | { kind: 'notFound' };

function changedFields(existing: TrajectoryRecord, input: TrajectoryInput): string[] {
  const changes: Array<[string, boolean]> = [
    ['commissionerId', existing.commissionerId !== input.commissionerId],
    ['kind', existing.kind !== input.kind],
    ['reference', existing.reference !== input.reference],
    ['startDate', existing.startDate !== input.startDate],
    ['plannedEndDate', existing.plannedEndDate !== input.plannedEndDate],
    ['grantedHours', Number(existing.grantedHours) !== input.grantedHours],
  ];
  return changes.filter(([, changed]) => changed).map(([field]) => field);
}

/** Edits an open trajectory from a form loaded at `form.version`. */
export async function updateTrajectory(
  db: Kysely<Database>,
  viewer: Viewer,
  participantId: number,
  trajectoryId: number,
  form: TrajectoryEditForm,
  now: Date,
): Promise<TrajectoryChangeOutcome> {
  return db.transaction().execute(async (trx) => {
    if (!(await lockVisibleOpenParticipant(trx, viewer, participantId))) return { kind: 'notFound' };
    const existing = await findVisibleTrajectory(trx, viewer, participantId, trajectoryId);
    if (!existing) return { kind: 'notFound' };
    if (existing.actualEndDate !== null) return { kind: 'closed', current: existing };
    // A commissioner deactivated since may stay on the trajectory, but cannot be newly chosen.
    if (form.commissionerId !== existing.commissionerId && !(await commissionerIsActive(trx, form.commissionerId))) {
      throw new FormRejection({ commissionerId: 'trajectories.form.commissionerUnavailable' });
    }
    const saved = await updateOpenTrajectoryIfVersion(trx, trajectoryId, participantId, form.version, columnsOf(form), now);
    if (!saved) return { kind: 'conflict', current: existing };
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'update',
      entityType: 'trajectory',
      entityId: trajectoryId,
      participantId,
      details: { changed: changedFields(existing, form) },
    });
    await refreshRiskStates(trx, [participantId], now, viewer.timeZone);
    return { kind: 'saved' };
  });
}

/**
 * Ends an open trajectory on a date with an outcome (the confirmed close form). `alsoRecord` runs
 * in the same transaction once the trajectory is closed (the handover of src/handovers), so a
 * refused handover leaves the trajectory open.
 */
export async function closeTrajectoryWithOutcome(
  db: Kysely<Database>,
  viewer: Viewer,
  participantId: number,
  trajectoryId: number,
  form: TrajectoryCloseForm,
  now: Date,
  alsoRecord?: (trx: Transaction<Database>) => Promise<void>,
): Promise<TrajectoryChangeOutcome> {
  return db.transaction().execute(async (trx) => {
    if (!(await lockVisibleOpenParticipant(trx, viewer, participantId))) return { kind: 'notFound' };
    const existing = await findVisibleTrajectory(trx, viewer, participantId, trajectoryId);
    if (!existing) return { kind: 'notFound' };
    if (existing.actualEndDate !== null) return { kind: 'closed', current: existing };
    if (existing.version !== form.version) return { kind: 'conflict', current: existing };
    if (form.endDate < existing.startDate) throw new FormRejection({ endDate: 'trajectories.close.beforeStart' });
    const saved = await closeOpenTrajectoryIfVersion(
      trx,
      trajectoryId,
      participantId,
      form.version,
      form.endDate,
      form.outcome,
      now,
    );
    if (!saved) return { kind: 'conflict', current: existing };
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'close',
      entityType: 'trajectory',
      entityId: trajectoryId,
      participantId,
      details: { endDate: form.endDate, outcome: form.outcome },
    });
    if (alsoRecord) await alsoRecord(trx);
    await refreshRiskStates(trx, [participantId], now, viewer.timeZone);
    return { kind: 'saved' };
  });
}
