import type { Kysely, Transaction } from 'kysely';
import { listActiveCommissionerOptions } from '../commissioners/service';
import type { CommissionerKind, Database, OrganisationKind } from '../db/schema';
import { findOrganisation } from '../directory/service';
import { openGoalOptions, type GoalOptionRow } from '../goals/service';
import { FormRejection } from '../lib/errors';
import type { Viewer } from '../lib/viewer';
import { recordAuditEvent } from '../platform/audit/service';
import type { Executor } from '../platform/executor';
import { closeTrajectoryWithOutcome, type TrajectoryChangeOutcome } from '../trajectories/service';
import {
  findVisibleHandover,
  insertHandover,
  listHandoverSummaries,
  listSubjectHandovers,
  type HandoverRecord,
  type HandoverSummaryRow,
  type SubjectHandoverRow,
} from './queries';
import type { CloseForm, HandoverInput } from './schemas';

export type { HandoverRecord, HandoverSummaryRow, SubjectHandoverRow } from './queries';
// What the close form and the new-trajectory form of src/trajectories use from here: through this
// module, as the layering asks of one feature reading another.
export { parseCloseForm, NextTrajectoryQuery } from './schemas';
export type { CloseForm } from './schemas';
export { HANDOVER_FIELD_LABELS } from './presentation';

// A handover is the last step of a trajectory closed with the outcome "handover": to which
// organisation of the referral directory and which person there the participant goes, from when,
// and what the coach passes on. It is recorded with the close, in its transaction, and read by
// whoever may see the participant (the trajectory's own access rule); it is not changed afterwards.

/**
 * Closes the trajectory (trajectories' own rule and audit) and, for the outcome "handover", records
 * the handover in the same transaction. The organisation must still be in the directory.
 */
export async function closeTrajectory(
  db: Kysely<Database>,
  viewer: Viewer,
  participantId: number,
  trajectoryId: number,
  form: CloseForm,
  now: Date,
): Promise<TrajectoryChangeOutcome> {
  const { handover, ...close } = form;
  if (!handover) return closeTrajectoryWithOutcome(db, viewer, participantId, trajectoryId, close, now);
  return closeTrajectoryWithOutcome(db, viewer, participantId, trajectoryId, close, now, (trx) =>
    recordHandover(trx, viewer, participantId, trajectoryId, handover, now),
  );
}

async function recordHandover(
  trx: Transaction<Database>,
  viewer: Viewer,
  participantId: number,
  trajectoryId: number,
  input: HandoverInput,
  now: Date,
): Promise<void> {
  const organisation = await findOrganisation(trx, input.organisationId);
  if (!organisation) throw new FormRejection({ handoverOrganisationId: 'handovers.form.organisationGone' });
  await insertHandover(
    trx,
    {
      trajectory_id: trajectoryId,
      participant_id: participantId,
      organisation_id: input.organisationId,
      receiver_name: input.receiverName,
      receiver_phone: input.receiverPhone,
      receiver_email: input.receiverEmail,
      handover_date: input.handoverDate,
      note: input.note,
      created_by: viewer.userId,
    },
    now,
  );
  // Ids and codes only: the receiving person and the note are named by the record, never quoted.
  await recordAuditEvent(trx, {
    actorUserId: viewer.userId,
    action: 'create',
    entityType: 'handover',
    entityId: trajectoryId,
    participantId,
    details: {
      trajectoryId,
      organisationId: input.organisationId,
      organisationKind: organisation.kind,
      handoverDate: input.handoverDate,
    },
  });
}

/** The participant's handovers for the profile's trajectory list, keyed by trajectory id (one query). */
export async function handoversForProfile(
  db: Kysely<Database>,
  participantId: number,
): Promise<Record<number, HandoverSummaryRow>> {
  const rows = await listHandoverSummaries(db, participantId);
  return Object.fromEntries(rows.map((row) => [row.trajectoryId, row]));
}

export interface HandoverDetail {
  handover: HandoverRecord;
  /** The participant's goals still being worked on: what the receiving organisation takes over. */
  openGoals: GoalOptionRow[];
}

export type HandoverUse = { action: 'view' } | { action: 'export'; format: 'pdf' };

/**
 * A trajectory's handover with the participant's open goals, when the viewer may see the
 * participant, and the audit event of this view or download in the same transaction. Undefined
 * answers 404 and records nothing.
 */
export async function produceHandover(
  db: Kysely<Database>,
  viewer: Viewer,
  participantId: number,
  trajectoryId: number,
  use: HandoverUse,
): Promise<HandoverDetail | undefined> {
  return db.transaction().execute(async (trx) => {
    const handover = await findVisibleHandover(trx, viewer, participantId, trajectoryId);
    if (!handover) return undefined;
    const openGoals = await openGoalOptions(trx, participantId);
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: use.action,
      entityType: 'handover',
      entityId: trajectoryId,
      participantId,
      details: use.action === 'export' ? { format: use.format } : {},
    });
    return { handover, openGoals };
  });
}

/** Commissioner kinds that are obviously the receiving organisation itself, by the organisation's kind. */
const COMMISSIONER_OF_ORGANISATION: Partial<Record<OrganisationKind, CommissionerKind>> = {
  vdab: 'vdab',
  uwv: 'uwv',
};

export interface NextTrajectoryPrefill {
  startDate: string;
  /** The commissioner guessed from the receiving organisation, or null when it is not obvious. */
  commissionerId: number | null;
}

/**
 * What the new-trajectory form starts with when opened from a handover: the handover date, and the
 * commissioner when the receiving organisation obviously is one (a handover to VDAB continues in a
 * VDAB trajectory) and exactly one active commissioner is of that kind. Reading it is not audited:
 * the form shows no more than the profile does.
 */
export async function nextTrajectoryPrefill(
  db: Kysely<Database>,
  viewer: Viewer,
  participantId: number,
  trajectoryId: number,
): Promise<NextTrajectoryPrefill | undefined> {
  const handover = await findVisibleHandover(db, viewer, participantId, trajectoryId);
  if (!handover) return undefined;
  const kind = COMMISSIONER_OF_ORGANISATION[handover.organisationKind];
  let commissionerId: number | null = null;
  if (kind) {
    const candidates = (await listActiveCommissionerOptions(db)).filter((option) => option.kind === kind);
    const [only] = candidates;
    if (only && candidates.length === 1) commissionerId = only.id;
  }
  return { startDate: handover.handoverDate, commissionerId };
}

/** Every handover of the participant, for the subject-access export (inside its snapshot). */
export async function handoversForSubjectAccess(db: Executor, participantId: number): Promise<SubjectHandoverRow[]> {
  return listSubjectHandovers(db, participantId);
}
