import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { recordAuditEvent } from '../audit/service';
import { endOpenPlacements, listHoursOfPlacements, listPlacementsOfParticipant, type HoursRow, type PlacementRow } from './queries';

export type { HoursRow, PlacementRow } from './queries';

export interface PlacementWithHours extends PlacementRow {
  /** Hours per week in force today (the latest row not after today), or null when none. */
  currentHours: number | null;
  /** Every hours change, newest first. */
  hoursHistory: Array<{ effectiveFrom: string; hoursPerWeek: number; note: string | null }>;
}

/** Placements for a participant's profile with their hours history, in two queries. */
export async function placementsForProfile(db: Kysely<Database>, participantId: number, today: string): Promise<PlacementWithHours[]> {
  const placements = await listPlacementsOfParticipant(db, participantId);
  const hours = await listHoursOfPlacements(
    db,
    placements.map((placement) => placement.id),
  );
  const byPlacement = new Map<number, HoursRow[]>();
  for (const row of hours) {
    const list = byPlacement.get(row.placementId) ?? [];
    list.push(row);
    byPlacement.set(row.placementId, list);
  }
  return placements.map((placement) => {
    const history = (byPlacement.get(placement.id) ?? []).map((row) => ({
      effectiveFrom: row.effectiveFrom,
      hoursPerWeek: Number(row.hoursPerWeek),
      note: row.note,
    }));
    const current = history.find((row) => row.effectiveFrom <= today);
    return { ...placement, currentHours: current ? current.hoursPerWeek : null, hoursHistory: history };
  });
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
  for (const id of ended) {
    await recordAuditEvent(trx, {
      actorUserId,
      action: 'end',
      entityType: 'placement',
      entityId: id,
      participantId,
      details: { endDate, reason: 'participant closed' },
    });
  }
}
