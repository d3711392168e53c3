import type { Formatters } from '../lib/format';
import type { Translate } from '../platform/i18n';
import type { AuditLogCriteria, AuditLogQuery } from './schemas';
import { dayRangeInZone, type AuditEventFilters, type AuditEventRow, type AuditLogPage } from './service';
import { wordEvent, type WordedEvent } from './wording';

export interface AuditLogRow extends WordedEvent {
  id: number;
  occurredAt: Date;
}

/** The page's events in words, in the reader's language and the organisation's zone. */
export function wordedRows(log: AuditLogPage, t: Translate, fmt: Formatters): AuditLogRow[] {
  return log.events.map((event: AuditEventRow) => ({
    id: event.id,
    occurredAt: event.occurredAt,
    ...wordEvent({ t, fmt, names: log.names }, event),
  }));
}

/** The criteria that could be applied, as the log's query filters. */
export function filtersOf(criteria: AuditLogCriteria, timeZone: string): AuditEventFilters {
  return {
    ...(criteria.userId !== null ? { actorUserId: criteria.userId } : {}),
    ...(criteria.participantId !== null ? { participantId: criteria.participantId } : {}),
    ...(criteria.action !== null ? { action: criteria.action } : {}),
    ...dayRangeInZone(criteria.from, criteria.to, timeZone),
  };
}

/** The applied filters as links to other pages carry them (unusable input is left out). */
export function filterQueryString(criteria: AuditLogCriteria): string {
  const query = new URLSearchParams();
  if (criteria.userId !== null) query.set('user', String(criteria.userId));
  if (criteria.participantId !== null) query.set('participant', String(criteria.participantId));
  if (criteria.action !== null) query.set('action', criteria.action);
  if (criteria.from !== null) query.set('from', criteria.from);
  if (criteria.to !== null) query.set('to', criteria.to);
  return query.toString();
}

/** The filter form's values: a date that was understood in the reader's notation; one that was not, as typed. */
export function filterFormValues(
  criteria: AuditLogCriteria,
  raw: AuditLogQuery,
  fmt: Formatters,
  participant: { id: number; name: string | null } | null,
): Record<string, string> {
  return {
    user: criteria.userId !== null ? String(criteria.userId) : '',
    // The participant by name once found (the links carry the id); else as typed.
    participant: participant?.name ?? (criteria.participantId !== null ? String(criteria.participantId) : raw.participant),
    action: criteria.action ?? '',
    from: criteria.from !== null ? fmt.dateInput(criteria.from) : raw.from,
    to: criteria.to !== null ? fmt.dateInput(criteria.to) : raw.to,
  };
}
