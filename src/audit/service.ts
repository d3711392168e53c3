import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import type { Database } from '../db/schema';
import type { Viewer } from '../lib/viewer';
import {
  countAuditEvents,
  findParticipantNames,
  listAuditActions,
  listAuditEvents,
  listAuditUsers,
  type AuditEventFilters,
  type AuditEventRow,
  type AuditUserOption,
} from './queries';

export type { AuditEventFilters, AuditEventRow, AuditUserOption } from './queries';

export interface AuditLogRow extends AuditEventRow {
  /** "First Last" when the event concerns a participant the viewer may see. */
  participantName: string | null;
  /** The details as label/value pairs, values already turned into short text. */
  detailPairs: [string, string][];
}

/** Renders one detail value compactly: text as is, anything structured as JSON. */
function detailText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export function detailPairsOf(details: unknown): [string, string][] {
  if (details === null || details === undefined) return [];
  if (typeof details !== 'object' || Array.isArray(details)) return [['', detailText(details)]];
  return Object.entries(details as Record<string, unknown>).map(([key, value]) => [key, detailText(value)]);
}

/**
 * The instants a range of calendar days covers in the organisation's time zone: from the start of
 * the first day up to (not including) the start of the day after the last, so a day that has 23 or
 * 25 hours because of a clock change is covered exactly.
 */
export function dayRangeInZone(
  from: string | null,
  to: string | null,
  timeZone: string,
): Pick<AuditEventFilters, 'occurredFrom' | 'occurredBefore'> {
  const range: Pick<AuditEventFilters, 'occurredFrom' | 'occurredBefore'> = {};
  if (from) range.occurredFrom = DateTime.fromISO(from, { zone: timeZone }).startOf('day').toJSDate();
  if (to) range.occurredBefore = DateTime.fromISO(to, { zone: timeZone }).plus({ days: 1 }).startOf('day').toJSDate();
  return range;
}

export async function auditLogPage(
  db: Kysely<Database>,
  viewer: Viewer,
  filters: AuditEventFilters,
  page: { limit: number; offset: number },
): Promise<{ rows: AuditLogRow[]; total: number }> {
  const [events, total] = await Promise.all([listAuditEvents(db, filters, page), countAuditEvents(db, filters)]);
  const participantIds = [...new Set(events.flatMap((event) => (event.participantId === null ? [] : [event.participantId])))];
  const names = new Map(
    (await findParticipantNames(db, viewer, participantIds)).map((p) => [p.id, `${p.firstName} ${p.lastName}`]),
  );
  const rows = events.map((event) => ({
    ...event,
    participantName: event.participantId === null ? null : (names.get(event.participantId) ?? null),
    detailPairs: detailPairsOf(event.details),
  }));
  return { rows, total };
}

export async function auditFilterOptions(db: Kysely<Database>): Promise<{ users: AuditUserOption[]; actions: string[] }> {
  const [users, actions] = await Promise.all([listAuditUsers(db), listAuditActions(db)]);
  return { users, actions };
}

/** The name of the participant the log is filtered on, if the viewer may see them. */
export async function participantNameFor(db: Kysely<Database>, viewer: Viewer, id: number): Promise<string | null> {
  const [found] = await findParticipantNames(db, viewer, [id]);
  return found ? `${found.firstName} ${found.lastName}` : null;
}
