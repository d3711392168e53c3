import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, PlacementKind, PlacementStatus } from '../db/schema';

type Executor = Kysely<Database> | Transaction<Database>;

export interface PlacementRow {
  id: number;
  participantId: number;
  employerId: number;
  employerName: string;
  kind: PlacementKind;
  jobTitle: string;
  startDate: string;
  endDate: string | null;
  status: PlacementStatus;
  pauseReason: string | null;
  pausedSince: string | null;
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

export async function listPlacementsOfParticipant(db: Executor, participantId: number): Promise<PlacementRow[]> {
  return db
    .selectFrom('placements')
    .innerJoin('employers', 'employers.id', 'placements.employer_id')
    .leftJoin('employer_contacts as supervisor', 'supervisor.id', 'placements.supervisor_contact_id')
    .where('placements.participant_id', '=', participantId)
    .select([
      'placements.id',
      'placements.participant_id as participantId',
      'placements.employer_id as employerId',
      'employers.name as employerName',
      'placements.kind',
      'placements.job_title as jobTitle',
      'placements.start_date as startDate',
      'placements.end_date as endDate',
      'placements.status',
      'placements.pause_reason as pauseReason',
      'placements.paused_since as pausedSince',
      'supervisor.name as supervisorName',
      'supervisor.phone as supervisorPhone',
      'placements.version',
    ])
    .orderBy(sql`case placements.status when 'active' then 0 when 'paused' then 1 else 2 end`)
    .orderBy('placements.start_date', 'desc')
    .execute();
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
