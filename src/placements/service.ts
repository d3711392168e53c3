import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { recordAuditEvent, recordAuditEvents } from '../platform/audit/service';
import { FormRejection } from '../lib/errors';
import type { Viewer } from '../lib/viewer';
import { createOnce, type SubmissionOutcome } from '../platform/submissions/service';
import { contactBelongsToEmployer, findEmployer, listContactOptions, listEmployerOptions } from '../employers/service';
import {
  deleteHoursAfter,
  endOpenPlacements,
  findHoursOn,
  findVisiblePlacement,
  insertPlacement,
  listHoursOfPlacements,
  listPlacementsOfParticipant,
  lockChangeablePlacement,
  moveHours,
  updatePlacementIfVersion,
  upsertHours,
  type HoursRow,
  type PlacementChanges,
  type PlacementRow,
  type VisiblePlacementRow,
} from './queries';
import type {
  PlacementCreateInput,
  PlacementEditForm,
  PlacementEndForm,
  PlacementHoursForm,
  PlacementPauseForm,
  PlacementResumeForm,
} from './schemas';
import type { Executor } from '../platform/executor';
import { refreshRiskStates } from '../risk/state';

export type { HoursRow, PlacementRow } from './queries';

export type EmployerOption = Awaited<ReturnType<typeof listEmployerOptions>>[number];
export type ContactOption = Awaited<ReturnType<typeof listContactOptions>>[number];

export interface HoursEntry {
  effectiveFrom: string;
  hoursPerWeek: number;
  note: string | null;
}

export interface PlacementWithHours extends PlacementRow {
  /** Hours per week in force today (the latest row not after today), or null when none. */
  currentHours: number | null;
  /** Every hours change, newest first. */
  hoursHistory: HoursEntry[];
}

/** A placement on its own action pages: with its hours and whether its participant is closed. */
export type PlacementDetail = PlacementWithHours & Pick<VisiblePlacementRow, 'participantStatus'>;

function withHours<T extends PlacementRow>(placements: T[], hours: HoursRow[], today: string): Array<T & PlacementWithHours> {
  const byPlacement = new Map<number, HoursEntry[]>();
  for (const row of hours) {
    const list = byPlacement.get(row.placementId) ?? [];
    list.push({ effectiveFrom: row.effectiveFrom, hoursPerWeek: Number(row.hoursPerWeek), note: row.note });
    byPlacement.set(row.placementId, list);
  }
  return placements.map((placement) => {
    const history = byPlacement.get(placement.id) ?? [];
    const current = history.find((row) => row.effectiveFrom <= today);
    return { ...placement, currentHours: current ? current.hoursPerWeek : null, hoursHistory: history };
  });
}

/** Placements for a participant's profile with their hours history, in two queries. */
export async function placementsForProfile(
  db: Kysely<Database>,
  participantId: number,
  today: string,
): Promise<PlacementWithHours[]> {
  const placements = await listPlacementsOfParticipant(db, participantId);
  const hours = await listHoursOfPlacements(
    db,
    placements.map((placement) => placement.id),
  );
  return withHours(placements, hours, today);
}

/** One placement of a participant the viewer may see, with its hours; undefined means 404. */
export async function findPlacement(
  db: Executor,
  viewer: Viewer,
  participantId: number,
  placementId: number,
): Promise<PlacementDetail | undefined> {
  const placement = await findVisiblePlacement(db, viewer, participantId, placementId);
  if (!placement) return undefined;
  const [detail] = withHours([placement], await listHoursOfPlacements(db, [placement.id]), viewer.today);
  return detail;
}

/** The hours in force on a date according to a newest-first history, or null. */
export function hoursOn(history: HoursEntry[], date: string): number | null {
  return history.find((row) => row.effectiveFrom <= date)?.hoursPerWeek ?? null;
}

export async function employerChoices(db: Kysely<Database>): Promise<EmployerOption[]> {
  return listEmployerOptions(db);
}

/** Contacts to choose a supervisor from: of every employer, or of the placement's employer. */
export async function supervisorChoices(db: Kysely<Database>, employerId?: number): Promise<ContactOption[]> {
  const contacts = await listContactOptions(db);
  return employerId === undefined ? contacts : contacts.filter((contact) => contact.employerId === employerId);
}

async function checkSupervisor(db: Kysely<Database>, supervisorContactId: number | null, employerId: number): Promise<void> {
  if (supervisorContactId !== null && !(await contactBelongsToEmployer(db, supervisorContactId, employerId))) {
    throw new FormRejection({ supervisorContactId: 'placements.form.supervisorOfOtherEmployer' });
  }
}

/** Ends every open placement of a participant being closed, inside the caller's transaction. */
export async function endOpenPlacementsOf(
  trx: Transaction<Database>,
  participantId: number,
  endDate: string,
  actorUserId: number,
  now: Date,
): Promise<void> {
  const ended = await endOpenPlacements(trx, participantId, endDate, now);
  await recordAuditEvents(
    trx,
    ended.map((id) => ({
      actorUserId,
      action: 'end',
      entityType: 'placement',
      entityId: id,
      participantId,
      details: { endDate, reason: 'participant closed' },
    })),
  );
}

/**
 * Creates a placement with its first hours row (effective from the start date). The caller has
 * checked that the participant is visible and open.
 */
export async function createPlacement(
  db: Kysely<Database>,
  viewer: Viewer,
  participantId: number,
  input: PlacementCreateInput,
  submissionToken: string,
  now: Date,
): Promise<SubmissionOutcome<number>> {
  if (!(await findEmployer(db, input.employerId))) throw new FormRejection({ employerId: 'validation.choice' });
  await checkSupervisor(db, input.supervisorContactId, input.employerId);
  return createOnce(db, submissionToken, viewer.userId, now, async (trx) => {
    const id = await insertPlacement(
      trx,
      {
        participant_id: participantId,
        employer_id: input.employerId,
        supervisor_contact_id: input.supervisorContactId,
        kind: input.kind,
        job_title: input.jobTitle,
        start_date: input.startDate,
        planned_end_date: input.plannedEndDate,
      },
      now,
    );
    await upsertHours(
      trx,
      { placementId: id, effectiveFrom: input.startDate, hoursPerWeek: input.hoursPerWeek, note: null, createdBy: viewer.userId },
      now,
    );
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'create',
      entityType: 'placement',
      entityId: id,
      participantId,
      details: {
        employerId: input.employerId,
        supervisorContactId: input.supervisorContactId,
        kind: input.kind,
        startDate: input.startDate,
        plannedEndDate: input.plannedEndDate,
        hoursPerWeek: input.hoursPerWeek,
      },
    });
    await refreshRiskStates(trx, [participantId], now, viewer.timeZone);
    return { value: id, path: `/participants/${participantId}` };
  });
}

export type ChangeOutcome = { kind: 'saved' } | { kind: 'conflict'; current: PlacementDetail } | { kind: 'notFound' };

export interface PlacementRef {
  participantId: number;
  placementId: number;
}

/**
 * The frame of every versioned change: the placement must be visible, its participant open, the
 * form's version current (else a conflict), and its status one the change applies to (else 404).
 * `change` checks its rules (throwing FormRejection), saves and audits inside the transaction.
 */
async function changeVersioned(
  db: Kysely<Database>,
  viewer: Viewer,
  ref: PlacementRef,
  version: number,
  appliesTo: (current: PlacementDetail) => boolean,
  change: (
    trx: Transaction<Database>,
    current: PlacementDetail,
    save: (values: PlacementChanges) => Promise<boolean>,
  ) => Promise<void>,
  now: Date,
): Promise<ChangeOutcome> {
  return db.transaction().execute(async (trx): Promise<ChangeOutcome> => {
    const current = await findPlacement(trx, viewer, ref.participantId, ref.placementId);
    if (!current || current.participantStatus === 'closed') return { kind: 'notFound' };
    if (current.version !== version) return { kind: 'conflict', current };
    if (!appliesTo(current)) return { kind: 'notFound' };
    let saved = true;
    await change(trx, current, async (values) => {
      saved = await updatePlacementIfVersion(trx, viewer, current.id, version, values, now);
      return saved;
    });
    if (saved) {
      await refreshRiskStates(trx, [current.participantId], now, viewer.timeZone);
      return { kind: 'saved' };
    }
    const latest = await findPlacement(trx, viewer, ref.participantId, ref.placementId);
    return latest && latest.participantStatus !== 'closed' ? { kind: 'conflict', current: latest } : { kind: 'notFound' };
  });
}

const isOpen = (placement: PlacementDetail) => placement.status !== 'ended';

export async function updatePlacement(
  db: Kysely<Database>,
  viewer: Viewer,
  ref: PlacementRef,
  form: PlacementEditForm,
  now: Date,
): Promise<ChangeOutcome> {
  return changeVersioned(
    db,
    viewer,
    ref,
    form.version,
    isOpen,
    async (trx, current, save) => {
      await checkSupervisor(trx, form.supervisorContactId, current.employerId);
      const startMoves = form.startDate !== current.startDate;
      if (startMoves) {
        // The first hours row follows the start date; later changes and a pause must stay after it.
        const laterChange = current.hoursHistory.some(
          (row) => row.effectiveFrom !== current.startDate && row.effectiveFrom <= form.startDate,
        );
        if (laterChange || (current.pausedSince !== null && current.pausedSince < form.startDate)) {
          throw new FormRejection({ startDate: 'placements.form.startAfterChanges' });
        }
      }
      const before = {
        kind: current.kind,
        jobTitle: current.jobTitle,
        supervisorContactId: current.supervisorContactId,
        startDate: current.startDate,
        plannedEndDate: current.plannedEndDate,
      };
      const after = {
        kind: form.kind,
        jobTitle: form.jobTitle,
        supervisorContactId: form.supervisorContactId,
        startDate: form.startDate,
        plannedEndDate: form.plannedEndDate,
      };
      if (
        !(await save({
          kind: form.kind,
          job_title: form.jobTitle,
          supervisor_contact_id: form.supervisorContactId,
          start_date: form.startDate,
          planned_end_date: form.plannedEndDate,
        }))
      )
        return;
      if (startMoves) await moveHours(trx, current.id, current.startDate, form.startDate);
      // The job title is free text: the audit says that it changed, not what it says.
      const changedFields = (Object.keys(before) as Array<keyof typeof before>).filter((key) => before[key] !== after[key]);
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const key of changedFields) {
        if (key !== 'jobTitle') changes[key] = { from: before[key], to: after[key] };
      }
      await recordAuditEvent(trx, {
        actorUserId: viewer.userId,
        action: 'update',
        entityType: 'placement',
        entityId: current.id,
        participantId: current.participantId,
        details: { changedFields, changes },
      });
    },
    now,
  );
}

/**
 * Pauses an active placement: from the pause date its hours are 0 (a row in the history, so the
 * drop shows), and hours changes planned after that date are dropped, since resuming sets new ones.
 */
export async function pausePlacement(
  db: Kysely<Database>,
  viewer: Viewer,
  ref: PlacementRef,
  form: PlacementPauseForm,
  now: Date,
): Promise<ChangeOutcome> {
  return changeVersioned(
    db,
    viewer,
    ref,
    form.version,
    (current) => current.status === 'active',
    async (trx, current, save) => {
      if (form.pausedSince < current.startDate) throw new FormRejection({ pausedSince: 'placements.pause.beforeStart' });
      const hoursBefore = hoursOn(current.hoursHistory, form.pausedSince);
      if (!(await save({ status: 'paused', pause_reason: form.pauseReason, paused_since: form.pausedSince }))) return;
      const dropped = await deleteHoursAfter(trx, current.id, form.pausedSince);
      await upsertHours(
        trx,
        { placementId: current.id, effectiveFrom: form.pausedSince, hoursPerWeek: 0, note: null, createdBy: viewer.userId },
        now,
      );
      await recordAuditEvent(trx, {
        actorUserId: viewer.userId,
        action: 'pause',
        entityType: 'placement',
        entityId: current.id,
        participantId: current.participantId,
        details: {
          pausedSince: form.pausedSince,
          hoursBefore,
          hoursPerWeek: 0,
          droppedPlannedHours: dropped.map((row) => ({
            effectiveFrom: row.effectiveFrom,
            hoursPerWeek: Number(row.hoursPerWeek),
          })),
        },
      });
    },
    now,
  );
}

export async function resumePlacement(
  db: Kysely<Database>,
  viewer: Viewer,
  ref: PlacementRef,
  form: PlacementResumeForm,
  now: Date,
): Promise<ChangeOutcome> {
  return changeVersioned(
    db,
    viewer,
    ref,
    form.version,
    (current) => current.status === 'paused',
    async (trx, current, save) => {
      const pausedSince = current.pausedSince!;
      if (form.resumedOn < pausedSince) throw new FormRejection({ resumedOn: 'placements.resume.beforePause' });
      if (!(await save({ status: 'active', pause_reason: null, paused_since: null }))) return;
      await upsertHours(
        trx,
        {
          placementId: current.id,
          effectiveFrom: form.resumedOn,
          hoursPerWeek: form.hoursPerWeek,
          note: null,
          createdBy: viewer.userId,
        },
        now,
      );
      await recordAuditEvent(trx, {
        actorUserId: viewer.userId,
        action: 'resume',
        entityType: 'placement',
        entityId: current.id,
        participantId: current.participantId,
        details: { pausedSince, resumedOn: form.resumedOn, hoursPerWeek: form.hoursPerWeek },
      });
    },
    now,
  );
}

export async function endPlacement(
  db: Kysely<Database>,
  viewer: Viewer,
  ref: PlacementRef,
  form: PlacementEndForm,
  now: Date,
): Promise<ChangeOutcome> {
  return changeVersioned(
    db,
    viewer,
    ref,
    form.version,
    isOpen,
    async (trx, current, save) => {
      if (form.endDate < current.startDate) throw new FormRejection({ endDate: 'placements.end.beforeStart' });
      if (!(await save({ status: 'ended', end_date: form.endDate, pause_reason: null, paused_since: null }))) return;
      await recordAuditEvent(trx, {
        actorUserId: viewer.userId,
        action: 'end',
        entityType: 'placement',
        entityId: current.id,
        participantId: current.participantId,
        details: {
          endDate: form.endDate,
          statusBefore: current.status,
          hoursBefore: hoursOn(current.hoursHistory, form.endDate),
        },
      });
    },
    now,
  );
}

/**
 * Records new hours per week from a date on. A change on a date that already has one replaces its
 * figures (correcting a typo should not need a second row); the audit keeps what was there.
 */
export async function changeHours(
  db: Kysely<Database>,
  viewer: Viewer,
  ref: PlacementRef,
  form: PlacementHoursForm,
  now: Date,
): Promise<{ kind: 'saved'; replaced: boolean } | { kind: 'notFound' }> {
  return db.transaction().execute(async (trx) => {
    const placement = await lockChangeablePlacement(trx, viewer, ref.participantId, ref.placementId);
    if (!placement) return { kind: 'notFound' as const };
    // Paused hours are 0 until resumed and ended placements have no hours to change.
    if (placement.status !== 'active') throw new FormRejection({ _form: 'placements.hours.notActive' });
    if (form.effectiveFrom < placement.startDate) throw new FormRejection({ effectiveFrom: 'placements.hours.beforeStart' });
    const previous = await findHoursOn(trx, ref.placementId, form.effectiveFrom);
    await upsertHours(
      trx,
      {
        placementId: ref.placementId,
        effectiveFrom: form.effectiveFrom,
        hoursPerWeek: form.hoursPerWeek,
        note: form.note,
        createdBy: viewer.userId,
      },
      now,
    );
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'change_hours',
      entityType: 'placement',
      entityId: ref.placementId,
      participantId: ref.participantId,
      details: {
        effectiveFrom: form.effectiveFrom,
        hoursPerWeek: form.hoursPerWeek,
        replacedHoursPerWeek: previous ? Number(previous.hoursPerWeek) : null,
      },
    });
    await refreshRiskStates(trx, [ref.participantId], now, viewer.timeZone);
    return { kind: 'saved' as const, replaced: previous !== undefined };
  });
}
