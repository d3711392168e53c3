import { sql } from 'kysely';
import { participantVisibleTo, participantChangeableBy } from '../db/access';
import type { ParticipantStatus, PlacementKind, PlacementStatus } from '../db/schema';
import type { Viewer } from '../lib/viewer';
import type { Executor } from '../platform/executor';

export interface PlacementRow {
  id: number;
  participantId: number;
  employerId: number;
  employerName: string;
  kind: PlacementKind;
  jobTitle: string;
  startDate: string;
  endDate: string | null;
  plannedEndDate: string | null;
  status: PlacementStatus;
  pauseReason: string | null;
  pausedSince: string | null;
  supervisorContactId: number | null;
  supervisorName: string | null;
  supervisorPhone: string | null;
  version: number;
}

export interface HoursRow {
  placementId: number;
  effectiveFrom: string;
  hoursPerWeek: string;
  note: string | null;
}

function placementBase(db: Executor) {
  return db
    .selectFrom('placements')
    .innerJoin('employers', 'employers.id', 'placements.employer_id')
    .leftJoin('employer_contacts as supervisor', 'supervisor.id', 'placements.supervisor_contact_id')
    .select([
      'placements.id',
      'placements.participant_id as participantId',
      'placements.employer_id as employerId',
      'employers.name as employerName',
      'placements.kind',
      'placements.job_title as jobTitle',
      'placements.start_date as startDate',
      'placements.end_date as endDate',
      'placements.planned_end_date as plannedEndDate',
      'placements.status',
      'placements.pause_reason as pauseReason',
      'placements.paused_since as pausedSince',
      'placements.supervisor_contact_id as supervisorContactId',
      'supervisor.name as supervisorName',
      'supervisor.phone as supervisorPhone',
      'placements.version',
    ]);
}

export async function listPlacementsOfParticipant(db: Executor, participantId: number): Promise<PlacementRow[]> {
  return placementBase(db)
    .where('placements.participant_id', '=', participantId)
    .orderBy(sql`case placements.status when 'active' then 0 when 'paused' then 1 else 2 end`)
    .orderBy('placements.start_date', 'desc')
    .execute();
}

export interface VisiblePlacementRow extends PlacementRow {
  participantStatus: ParticipantStatus;
}

/**
 * One placement, only when it belongs to that participant and the viewer may see the participant:
 * an id from another caseload, or of another participant, finds nothing.
 */
export async function findVisiblePlacement(
  db: Executor,
  viewer: Viewer,
  participantId: number,
  placementId: number,
): Promise<VisiblePlacementRow | undefined> {
  return placementBase(db)
    .innerJoin('participants', 'participants.id', 'placements.participant_id')
    .where('placements.id', '=', placementId)
    .where('placements.participant_id', '=', participantId)
    .where(participantVisibleTo(viewer))
    .select('participants.status as participantStatus')
    .executeTakeFirst();
}

/** The hours histories of several placements in one query (no query per placement). */
export async function listHoursOfPlacements(db: Executor, placementIds: number[]): Promise<HoursRow[]> {
  if (placementIds.length === 0) return [];
  return db
    .selectFrom('placement_hours')
    .where('placement_id', 'in', placementIds)
    .select(['placement_id as placementId', 'effective_from as effectiveFrom', 'hours_per_week as hoursPerWeek', 'note'])
    .orderBy('placement_id')
    .orderBy('effective_from', 'desc')
    .execute();
}

export async function endOpenPlacements(trx: Executor, participantId: number, endDate: string, now: Date): Promise<number[]> {
  const rows = await trx
    .updateTable('placements')
    .set((eb) => ({
      status: 'ended',
      end_date: sql<string>`greatest(${endDate}::date, start_date)`,
      pause_reason: null,
      paused_since: null,
      updated_at: now,
      version: eb('version', '+', 1),
    }))
    .where('participant_id', '=', participantId)
    .where('status', '<>', 'ended')
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

export interface PlacementInsert {
  participant_id: number;
  employer_id: number;
  supervisor_contact_id: number | null;
  kind: PlacementKind;
  job_title: string;
  start_date: string;
  planned_end_date: string | null;
}

export async function insertPlacement(trx: Executor, values: PlacementInsert, now: Date): Promise<number> {
  const row = await trx
    .insertInto('placements')
    .values({ ...values, status: 'active', created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface PlacementChanges {
  supervisor_contact_id?: number | null;
  kind?: PlacementKind;
  job_title?: string;
  start_date?: string;
  planned_end_date?: string | null;
  end_date?: string | null;
  status?: PlacementStatus;
  pause_reason?: string | null;
  paused_since?: string | null;
}

/**
 * Updates only when the row still has `expectedVersion` and its participant may still be changed
 * by the viewer; returns whether it did.
 */
export async function updatePlacementIfVersion(
  trx: Executor,
  viewer: Viewer,
  id: number,
  expectedVersion: number,
  values: PlacementChanges,
  now: Date,
): Promise<boolean> {
  const result = await trx
    .updateTable('placements')
    .set((eb) => ({ ...values, updated_at: now, version: eb('version', '+', 1) }))
    .where('placements.id', '=', id)
    .where('placements.version', '=', expectedVersion)
    .where(participantChangeableBy('placements', viewer))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Takes the placement's row lock, so an hours change waits for (and then sees) a pause or end being
 * saved at the same moment. Returns the status, or undefined when the viewer may not change it.
 */
export async function lockChangeablePlacement(
  trx: Executor,
  viewer: Viewer,
  participantId: number,
  placementId: number,
): Promise<{ status: PlacementStatus; startDate: string } | undefined> {
  return trx
    .selectFrom('placements')
    .where('placements.id', '=', placementId)
    .where('placements.participant_id', '=', participantId)
    .where(participantChangeableBy('placements', viewer))
    .select(['placements.status', 'placements.start_date as startDate'])
    .forUpdate()
    .executeTakeFirst();
}

export async function findHoursOn(trx: Executor, placementId: number, effectiveFrom: string): Promise<HoursRow | undefined> {
  return trx
    .selectFrom('placement_hours')
    .where('placement_id', '=', placementId)
    .where('effective_from', '=', effectiveFrom)
    .select(['placement_id as placementId', 'effective_from as effectiveFrom', 'hours_per_week as hoursPerWeek', 'note'])
    .executeTakeFirst();
}

/** Stores the hours from a date on; a row already on that date gets the new figures. */
export async function upsertHours(
  trx: Executor,
  values: { placementId: number; effectiveFrom: string; hoursPerWeek: number; note: string | null; createdBy: number },
  now: Date,
): Promise<void> {
  await trx
    .insertInto('placement_hours')
    .values({
      placement_id: values.placementId,
      effective_from: values.effectiveFrom,
      hours_per_week: values.hoursPerWeek,
      note: values.note,
      created_by: values.createdBy,
      created_at: now,
    })
    .onConflict((oc) =>
      oc.columns(['placement_id', 'effective_from']).doUpdateSet((eb) => ({
        hours_per_week: eb.ref('excluded.hours_per_week'),
        note: eb.ref('excluded.note'),
        created_by: eb.ref('excluded.created_by'),
      })),
    )
    .execute();
}

/** Removes hours changes planned after a date (a pause overrides them); returns what was removed. */
export async function deleteHoursAfter(trx: Executor, placementId: number, date: string): Promise<HoursRow[]> {
  return trx
    .deleteFrom('placement_hours')
    .where('placement_id', '=', placementId)
    .where('effective_from', '>', date)
    .returning(['placement_id as placementId', 'effective_from as effectiveFrom', 'hours_per_week as hoursPerWeek', 'note'])
    .execute();
}

/** Moves the hours row of one date to another (the first row follows a corrected start date). */
export async function moveHours(trx: Executor, placementId: number, from: string, to: string): Promise<void> {
  await trx
    .updateTable('placement_hours')
    .set({ effective_from: to })
    .where('placement_id', '=', placementId)
    .where('effective_from', '=', from)
    .execute();
}
