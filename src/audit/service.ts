import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import type { Database } from '../db/schema';
import type { Viewer } from '../lib/viewer';
import { recordAuditEvent } from '../platform/audit/service';
import {
  countAuditEvents,
  findAuditNames,
  findParticipantNames,
  findParticipantsByName,
  listAuditActions,
  listAuditEvents,
  listAuditUsers,
  type AuditEventFilters,
  type AuditEventRow,
  type AuditParticipantName,
  type AuditUserOption,
} from './queries';
import { emptyNameRequest, nameKey, referencesOf, type AuditNames } from './wording';

export type { AuditEventFilters, AuditEventRow, AuditUserOption, AuditParticipantName } from './queries';

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

export interface AuditLogPage {
  events: AuditEventRow[];
  /** The names behind every id the events refer to, looked up in one query for the page. */
  names: AuditNames;
  total: number;
}

export async function auditLogPage(
  db: Kysely<Database>,
  viewer: Viewer,
  filters: AuditEventFilters,
  page: { limit: number; offset: number },
): Promise<AuditLogPage> {
  const [events, total] = await Promise.all([listAuditEvents(db, filters, page), countAuditEvents(db, filters)]);
  return { events, names: await namesForEvents(db, viewer, events), total };
}

/** The names of everything these events refer to: one query, whatever the number of events. */
export async function namesForEvents(db: Kysely<Database>, viewer: Viewer, events: AuditEventRow[]): Promise<AuditNames> {
  const request = emptyNameRequest();
  for (const event of events) referencesOf(event, request);
  for (const kind of Object.keys(request) as Array<keyof typeof request>) request[kind] = [...new Set(request[kind])];
  if (Object.values(request).every((ids) => ids.length === 0)) return new Map();
  const rows = await findAuditNames(db, viewer, request);
  return new Map(rows.map((row) => [nameKey(row.kind, row.id), row.name]));
}

/** At most this many participants are offered when a typed name matches several. */
const PARTICIPANT_CHOICES = 8;

export type ParticipantFilterOutcome =
  | { kind: 'one'; participant: AuditParticipantName }
  | { kind: 'several'; participants: AuditParticipantName[] }
  | { kind: 'none' };

/** The participants whose name holds every typed word: one is the filter; several are offered to choose from. */
export async function findParticipantForFilter(
  db: Kysely<Database>,
  viewer: Viewer,
  text: string,
): Promise<ParticipantFilterOutcome> {
  const words = text.split(/\s+/).filter(Boolean).slice(0, 5);
  if (words.length === 0) return { kind: 'none' };
  const found = await findParticipantsByName(db, viewer, words, PARTICIPANT_CHOICES);
  if (found.length === 0) return { kind: 'none' };
  if (found.length === 1) return { kind: 'one', participant: found[0]! };
  return { kind: 'several', participants: found };
}

/** Events per batch of the CSV download: each batch is one page query and one names query. */
export const EXPORT_BATCH = 500;

/**
 * The filtered log for the CSV download, newest first, in batches (keyset paging, so memory use
 * does not depend on the length of the log). The download is recorded first, with its filters:
 * who took which part of the log is itself in the log.
 */
export async function startAuditExport(
  db: Kysely<Database>,
  viewer: Viewer,
  filters: AuditEventFilters,
): Promise<AsyncGenerator<{ events: AuditEventRow[]; names: AuditNames }, void, undefined>> {
  await recordAuditEvent(db, {
    actorUserId: viewer.userId,
    action: 'export',
    entityType: 'audit_log',
    participantId: filters.participantId ?? null,
    details: {
      format: 'csv',
      ...(filters.actorUserId !== undefined ? { userId: filters.actorUserId } : {}),
      ...(filters.action !== undefined ? { action: filters.action } : {}),
      ...(filters.occurredFrom ? { from: filters.occurredFrom.toISOString() } : {}),
      ...(filters.occurredBefore ? { before: filters.occurredBefore.toISOString() } : {}),
    },
  });
  return (async function* batches() {
    let after: { occurredAt: Date; id: number } | undefined;
    for (;;) {
      const events = await listAuditEvents(db, filters, { limit: EXPORT_BATCH, offset: 0 }, after);
      if (events.length === 0) return;
      yield { events, names: await namesForEvents(db, viewer, events) };
      if (events.length < EXPORT_BATCH) return;
      const last = events[events.length - 1]!;
      after = { occurredAt: last.occurredAt, id: last.id };
    }
  })();
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
