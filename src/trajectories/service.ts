import type { Kysely, Transaction } from 'kysely';
import type { DateTime } from 'luxon';
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
  listOverlappingTrajectories,
  listTrajectoriesCovering,
  listTrajectoriesWithMinutesUsed,
  lockIntakeParticipantsWithTrajectoryRunning,
  lockVisibleOpenParticipant,
  markParticipantsActive,
  reassignContactTrajectories,
  trajectoryBelongsTo,
  updateOpenTrajectoryIfVersion,
  type CoveringTrajectoryRow,
  type TrajectoryColumns,
  type TrajectoryRecord,
  type TrajectoryRow,
} from './queries';
import type { TrajectoryCloseForm, TrajectoryEditForm, TrajectoryInput } from './schemas';
import { refreshRiskStates } from '../risk/state';
import { tryTakeJobLock } from '../platform/jobs';
import type { Executor } from '../platform/executor';

export type { CoveringTrajectoryRow, TrajectoryRecord, TrajectoryRow } from './queries';

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
 * Trajectories for a participant's profile, newest first, each with its coaching hours used: the
 * minutes of the contact moments that belong to it. The caller has checked access. (The zone is
 * no longer needed: a contact's trajectory is stored, decided by its day when it was saved.)
 */
export async function trajectoriesForProfile(
  db: Kysely<Database>,
  participantId: number,
  _timeZone?: string,
): Promise<TrajectoryWithHours[]> {
  const rows = await listTrajectoriesWithMinutesUsed(db, participantId);
  return rows.map(({ minutesUsed, ...row }) => ({ ...row, hours: coachingHoursOf(minutesUsed, row.grantedHours) }));
}

/** Coaching hours used against granted for any trajectories at once (one query), keyed by trajectory id. */
export async function hoursUsedOf(
  db: Kysely<Database> | Transaction<Database>,
  trajectoryIds: readonly number[],
  _timeZone?: string,
): Promise<Map<number, CoachingHours>> {
  const rows = await listMinutesUsed(db, trajectoryIds);
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
  timeZone: string = DEFAULT_TIME_ZONE,
): Promise<number | null> {
  const open = await findOpenTrajectory(trx, participantId);
  if (!open) return null;
  await closeTrajectory(trx, open.id, endDate, outcome, now);
  await assignContactTrajectories(trx, [participantId], timeZone);
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
      await afterDatesChanged(trx, viewer, participantId, now);
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

type ChangedPair = [field: string, from: unknown, to: unknown];

function changedPairs(existing: TrajectoryRecord, input: TrajectoryInput): ChangedPair[] {
  const pairs: ChangedPair[] = [
    ['commissionerId', existing.commissionerId, input.commissionerId],
    ['kind', existing.kind, input.kind],
    ['reference', existing.reference, input.reference],
    ['startDate', existing.startDate, input.startDate],
    ['plannedEndDate', existing.plannedEndDate, input.plannedEndDate],
    ['grantedHours', Number(existing.grantedHours), input.grantedHours],
  ];
  return pairs.filter(([, from, to]) => from !== to);
}

function changedFields(existing: TrajectoryRecord, input: TrajectoryInput): string[] {
  return changedPairs(existing, input).map(([field]) => field);
}

/**
 * The changed fields with their values before and after, for the audit log's sentence ("changed
 * the coaching hours of trajectory X from 40 to 60"): ids, codes, dates and hours only. The
 * reference is typed text (a case number), so the log names that it changed, not its values.
 */
function changedValues(existing: TrajectoryRecord, input: TrajectoryInput): Record<string, { from: unknown; to: unknown }> {
  return Object.fromEntries(
    changedPairs(existing, input)
      .filter(([field]) => field !== 'reference')
      .map(([field, from, to]) => [field, { from, to }]),
  );
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
      details: { changed: changedFields(existing, form), changes: changedValues(existing, form) },
    });
    await afterDatesChanged(trx, viewer, participantId, now);
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
    await afterDatesChanged(trx, viewer, participantId, now);
    return { kind: 'saved' };
  });
}

/**
 * What follows a change to a participant's trajectory dates, in its transaction: their contact
 * moments move to the trajectory their day now falls in, a participant in intake whose trajectory
 * has started becomes active, and the stored risk state is refreshed (last, so it sees both).
 */
async function afterDatesChanged(trx: Transaction<Database>, viewer: Viewer, participantId: number, now: Date): Promise<void> {
  await assignContactTrajectories(trx, [participantId], viewer.timeZone);
  await activateWhenTrajectoryRunning(trx, { participantId, today: viewer.today, actorUserId: viewer.userId, now });
  await refreshRiskStates(trx, [participantId], now, viewer.timeZone);
}

// --- one trajectory per contact ----------------------------------------------------------------

/**
 * Gives contact moments their trajectory (decisions.md: a contact belongs to at most one). The
 * rule: a trajectory the coach chose on the contact form, as long as it still covers the contact's
 * day; otherwise the participant's trajectory whose dates cover that day (organisation's zone, an
 * open trajectory has no end), and when several do (a handover day, or a trajectory closed after
 * the next one started) the one that started first, then the lowest id; none before the first
 * trajectory (intake) or between two. The earlier trajectory keeps its contacts, so recording the
 * next funder's trajectory never takes hours away from one already reported. Called by every
 * change to a trajectory's dates, and by bulk loads (demo, bench) after inserting contacts.
 * Returns how many contacts changed trajectory.
 */
export async function assignContactTrajectories(
  trx: Executor,
  participantIds: readonly number[] | 'all',
  timeZone: string,
): Promise<number> {
  return reassignContactTrajectories(trx, participantIds, timeZone);
}

/** The trajectory a contact is saved in, and whether the coach chose it. */
export interface ContactTrajectory {
  trajectoryId: number | null;
  chosen: boolean;
}

/**
 * The trajectory of a contact moment on `day` (ISO date, organisation's zone), by the rule above.
 * `requested` is the form's choice (null: "the one open on that day"); it must be the
 * participant's and cover the day, otherwise the form says so (field trajectoryId). `previous` is
 * the contact's stored trajectory when editing: a choice left as it was on a contact whose date
 * moved away from it is not an error, the contact just goes to the trajectory of its new day.
 */
export async function trajectoryForContact(
  db: Executor,
  participantId: number,
  day: string,
  requested: number | null,
  previous: ContactTrajectory | null = null,
): Promise<ContactTrajectory> {
  const covering = await listTrajectoriesCovering(db, participantId, day);
  if (requested !== null) {
    if (covering.some((trajectory) => trajectory.id === requested)) return { trajectoryId: requested, chosen: true };
    const keptStaleChoice = previous?.chosen === true && previous.trajectoryId === requested;
    if (!keptStaleChoice) {
      const own = await trajectoryBelongsTo(db, participantId, requested);
      throw new FormRejection({ trajectoryId: own ? 'contacts.form.trajectoryNotOnDate' : 'validation.choice' });
    }
  }
  return { trajectoryId: covering[0]?.id ?? null, chosen: false };
}

/**
 * The trajectories a contact form offers to choose from: those of the participant that share a
 * day with another (only there is there a choice to make), plus the contact's current one when it
 * was chosen. Empty: the form shows no choice and the contact goes where its day falls.
 */
export async function contactTrajectoryChoices(
  db: Kysely<Database>,
  participantId: number,
  currentChoice: number | null = null,
): Promise<CoveringTrajectoryRow[]> {
  return listOverlappingTrajectories(db, participantId, currentChoice);
}

// --- status follows the trajectory -------------------------------------------------------------

/** The daily job that makes participants active on their trajectory's start day (src/trajectories/jobs.ts). */
export const ACTIVATION_JOB = 'participant_activation';

const ACTIVATION_BATCH_SIZE = 500;

/**
 * Makes participants in intake active whose trajectory runs on `today` (one participant, or up to
 * a batch), audited per participant as `activate` with the trajectory, by `actorUserId` (null: the
 * system, for the daily job). With `timeZone` their stored risk state is refreshed here; a caller
 * that refreshes the participant afterwards anyway (a trajectory change) leaves it out. Pausing
 * and closing stay the coach's: only intake moves. Returns the ids made active.
 */
async function activateWhenTrajectoryRunning(
  trx: Transaction<Database>,
  options: { participantId: number | null; today: string; actorUserId: number | null; now: Date; timeZone?: string },
): Promise<number[]> {
  const due = await lockIntakeParticipantsWithTrajectoryRunning(trx, options.today, ACTIVATION_BATCH_SIZE, options.participantId);
  if (due.length === 0) return [];
  const ids = due.map((row) => row.participantId);
  await markParticipantsActive(trx, ids, options.now);
  for (const { participantId, trajectoryId } of due) {
    await recordAuditEvent(trx, {
      actorUserId: options.actorUserId,
      action: 'activate',
      entityType: 'participant',
      entityId: participantId,
      participantId,
      details: { from: 'intake', to: 'active', trajectoryId },
    });
  }
  if (options.timeZone) await refreshRiskStates(trx, ids, options.now, options.timeZone);
  return ids;
}

export type ActivationRun = { activated: number; cutShort: 'locked' | 'stopped' | null; day: string };

/**
 * The daily job's body: every participant still in intake whose trajectory runs today (one that
 * started today, or earlier while no one made them active) becomes active, with the system as
 * actor. Idempotent, and once across processes: each batch is a transaction that holds the job's
 * advisory lock and changes only participants still in intake.
 */
export async function activateParticipantsWithStartedTrajectories(
  db: Kysely<Database>,
  now: DateTime,
  timeZone: string,
  signal?: AbortSignal,
): Promise<ActivationRun> {
  const day = now.setZone(timeZone).toISODate()!;
  let activated = 0;
  for (;;) {
    if (signal?.aborted) return { activated, cutShort: 'stopped', day };
    const batch = await db.transaction().execute(async (trx) => {
      if (!(await tryTakeJobLock(trx, ACTIVATION_JOB))) return null;
      return activateWhenTrajectoryRunning(trx, {
        participantId: null,
        today: day,
        actorUserId: null,
        now: now.toJSDate(),
        timeZone,
      });
    });
    if (batch === null) return { activated, cutShort: 'locked', day };
    activated += batch.length;
    if (batch.length < ACTIVATION_BATCH_SIZE) return { activated, cutShort: null, day };
  }
}
