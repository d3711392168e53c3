import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Executor } from '../platform/executor';
import { recordAuditEvent, recordAuditEvents } from '../platform/audit/service';
import { FormRejection } from '../lib/errors';
import type { Viewer } from '../lib/viewer';
import { createOnce, type SubmissionOutcome } from '../platform/submissions/service';
import { closeOpenTrajectoryOf, openTrajectoryOf } from '../trajectories/service';
import { endOpenPlacementsOf } from '../placements/service';
import {
  caseloadCoachIds,
  countParticipants,
  findVisibleParticipant,
  insertParticipant,
  listAssignableCoaches,
  listFilterCoaches,
  listFilterTeams,
  listOpenParticipantIdsOfCoach,
  listParticipants,
  updateCoachOf,
  updateParticipantIfVersion,
  type CoachOption,
  type ParticipantColumns,
  type ParticipantListRow,
  type ParticipantRecord,
  type TeamOption,
  lockChangeableParticipant,
} from './queries';
import type { ParticipantCloseForm, ParticipantEditForm, ParticipantInput, ParticipantListQuery } from './schemas';
import { refreshRiskStates } from '../risk/state';

export type { CoachOption, ParticipantListRow, ParticipantRecord, TeamOption } from './queries';

/**
 * Takes the participant's row lock for a change to their records (false: not visible to the viewer,
 * or closed), for other features' writes that check the participant's records before writing.
 */
export async function lockParticipantForChange(trx: Executor, viewer: Viewer, participantId: number): Promise<boolean> {
  return lockChangeableParticipant(trx, viewer, participantId);
}

export async function listPage(
  db: Kysely<Database>,
  viewer: Viewer,
  filters: ParticipantListQuery,
  page: { limit: number; offset: number },
): Promise<{ rows: ParticipantListRow[]; total: number }> {
  // A coach's caseload is resolved first, so the list's plan fits a caseload of ~100 whatever the
  // size of the organisation (see participantOfCoaches).
  const caseload = viewer.role === 'coach' ? await caseloadCoachIds(db, viewer) : undefined;
  const [rows, total] = await Promise.all([
    listParticipants(db, viewer, filters, page, caseload),
    countParticipants(db, viewer, filters, caseload),
  ]);
  return { rows, total };
}

export async function filterOptions(
  db: Kysely<Database>,
  viewer: Viewer,
): Promise<{ teams: TeamOption[]; coaches: CoachOption[] }> {
  const [teams, coaches] = await Promise.all([listFilterTeams(db, viewer), listFilterCoaches(db, viewer)]);
  return { teams, coaches };
}

export async function assignableCoaches(db: Kysely<Database>, viewer: Viewer): Promise<CoachOption[]> {
  return listAssignableCoaches(db, viewer);
}

/** A participant the viewer may see, or undefined (the route answers 404 either way). */
export async function findParticipant(db: Kysely<Database>, viewer: Viewer, id: number): Promise<ParticipantRecord | undefined> {
  return findVisibleParticipant(db, viewer, id);
}

/** Records that the viewer opened the participant's profile (every view of participant data is audited). */
export async function recordProfileView(db: Kysely<Database>, viewer: Viewer, id: number): Promise<void> {
  await recordAuditEvent(db, {
    actorUserId: viewer.userId,
    action: 'view',
    entityType: 'participant',
    entityId: id,
    participantId: id,
  });
}

/**
 * Which coach a new or edited participant gets. A coach always keeps (or creates for) themselves
 * or the caseload they stand in for: the coach field is not theirs to set. A manager chooses a
 * coach of their team, an admin any active coach.
 */
async function resolveCoach(
  db: Kysely<Database>,
  viewer: Viewer,
  requested: number | null,
  current: number | null,
): Promise<number> {
  if (viewer.role === 'coach') return current ?? viewer.userId;
  if (requested === null) {
    if (current !== null) return current;
    throw new FormRejection({ coachId: 'validation.choice' });
  }
  const allowed = await listAssignableCoaches(db, viewer);
  if (!allowed.some((coach) => coach.id === requested)) {
    // Keeping an existing assignment is always fine, even if that coach has since left the team.
    if (requested === current) return current;
    throw new FormRejection({ coachId: 'participants.form.coachNotAllowed' });
  }
  return requested;
}

function columnsOf(input: ParticipantInput, coachId: number): ParticipantColumns {
  return {
    first_name: input.firstName,
    last_name: input.lastName,
    date_of_birth: input.dateOfBirth,
    phone: input.phone,
    email: input.email,
    address_line: input.addressLine,
    postal_code: input.postalCode,
    city: input.city,
    preferred_channel: input.preferredChannel,
    language_support: input.languageSupport,
    external_reference: input.externalReference,
    status: input.status,
    coach_id: coachId,
  };
}

export async function createParticipant(
  db: Kysely<Database>,
  viewer: Viewer,
  input: ParticipantInput,
  submissionToken: string,
  now: Date,
): Promise<SubmissionOutcome<number>> {
  const coachId = await resolveCoach(db, viewer, input.coachId, null);
  return createOnce(db, submissionToken, viewer.userId, now, async (trx) => {
    const id = await insertParticipant(trx, columnsOf(input, coachId), now);
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'create',
      entityType: 'participant',
      entityId: id,
      participantId: id,
      details: { coachId },
    });
    await refreshRiskStates(trx, [id], now, viewer.timeZone);
    return { value: id, path: `/participants/${id}` };
  });
}

/** The fields of the edit form that the audit names when they change. */
const EDITABLE_FIELDS = [
  'firstName',
  'lastName',
  'dateOfBirth',
  'phone',
  'email',
  'addressLine',
  'postalCode',
  'city',
  'preferredChannel',
  'languageSupport',
  'externalReference',
  'status',
] as const;

export type UpdateOutcome = { kind: 'saved' } | { kind: 'conflict'; current: ParticipantRecord } | { kind: 'notFound' };

export async function updateParticipant(
  db: Kysely<Database>,
  viewer: Viewer,
  id: number,
  input: ParticipantEditForm,
  now: Date,
): Promise<UpdateOutcome> {
  const existing = await findVisibleParticipant(db, viewer, id);
  if (!existing || existing.status === 'closed') return { kind: 'notFound' };
  const coachId = await resolveCoach(db, viewer, input.coachId, existing.coachId);
  return db.transaction().execute(async (trx) => {
    const saved = await updateParticipantIfVersion(trx, id, input.version, columnsOf(input, coachId), now);
    if (!saved) {
      const current = await findVisibleParticipant(trx, viewer, id);
      return current ? { kind: 'conflict', current } : { kind: 'notFound' };
    }
    // Which fields changed, never their values (names and contact details are personal; the
    // audit log is never rewritten when a file is erased). The status is a code: it says how.
    const changedFields = EDITABLE_FIELDS.filter((field) => existing[field] !== input[field]);
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'update',
      entityType: 'participant',
      entityId: id,
      participantId: id,
      details: {
        changedFields,
        ...(existing.status !== input.status ? { status: { from: existing.status, to: input.status } } : {}),
      },
    });
    if (coachId !== existing.coachId) {
      await recordAuditEvent(trx, {
        actorUserId: viewer.userId,
        action: 'reassign',
        entityType: 'participant',
        entityId: id,
        participantId: id,
        details: { fromCoachId: existing.coachId, toCoachId: coachId },
      });
    }
    // The stored state names the coach, for the per-coach figures, and follows the status.
    if (coachId !== existing.coachId || input.status !== existing.status) {
      await refreshRiskStates(trx, [id], now, viewer.timeZone);
    }
    return { kind: 'saved' };
  });
}

export async function closeNeedsOutcome(db: Kysely<Database>, participantId: number): Promise<boolean> {
  return (await openTrajectoryOf(db, participantId)) !== undefined;
}

/**
 * Closes a participant: the open trajectory ends with the given outcome and open placements end
 * on the same day, all in one transaction.
 */
export async function closeParticipant(
  db: Kysely<Database>,
  viewer: Viewer,
  id: number,
  form: ParticipantCloseForm,
  now: Date,
): Promise<UpdateOutcome> {
  const existing = await findVisibleParticipant(db, viewer, id);
  if (!existing || existing.status === 'closed') return { kind: 'notFound' };
  return db.transaction().execute(async (trx) => {
    const open = await openTrajectoryOf(trx, id);
    if (open) {
      if (form.outcome === null) throw new FormRejection({ outcome: 'participants.close.outcomeRequired' });
      if (form.closedOn < open.startDate) throw new FormRejection({ closedOn: 'participants.close.beforeTrajectoryStart' });
    }
    const saved = await updateParticipantIfVersion(trx, id, form.version, { status: 'closed', closed_on: form.closedOn }, now);
    if (!saved) {
      const current = await findVisibleParticipant(trx, viewer, id);
      return current ? { kind: 'conflict', current } : { kind: 'notFound' };
    }
    if (open && form.outcome) {
      await closeOpenTrajectoryOf(trx, id, form.closedOn, form.outcome, viewer.userId, now, viewer.timeZone);
    }
    await endOpenPlacementsOf(trx, id, form.closedOn, viewer.userId, now);
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'close',
      entityType: 'participant',
      entityId: id,
      participantId: id,
      details: { closedOn: form.closedOn, outcome: form.outcome },
    });
    await refreshRiskStates(trx, [id], now, viewer.timeZone);
    return { kind: 'saved' };
  });
}

/** How many open participants a coach has: what a team move or deactivation must decide about. */
export async function openCaseloadSize(db: Executor, coachId: number): Promise<number> {
  return (await listOpenParticipantIdsOfCoach(db, coachId)).length;
}

/**
 * Hands a coach's whole open caseload to another coach, inside the caller's transaction (a team
 * move or a deactivation), each participant audited as a reassignment.
 */
export async function reassignCaseload(
  trx: Executor,
  move: { fromCoachId: number; toCoachId: number; actorUserId: number; now: Date; timeZone: string },
): Promise<number> {
  const ids = await listOpenParticipantIdsOfCoach(trx, move.fromCoachId);
  await updateCoachOf(trx, ids, move.toCoachId, move.now);
  // The stored state names the coach, for the per-coach figures.
  await refreshRiskStates(trx, ids, move.now, move.timeZone);
  await recordAuditEvents(
    trx,
    ids.map((id) => ({
      actorUserId: move.actorUserId,
      action: 'reassign',
      entityType: 'participant',
      entityId: id,
      participantId: id,
      details: { fromCoachId: move.fromCoachId, toCoachId: move.toCoachId },
    })),
  );
  return ids.length;
}
