import { z } from 'zod';
import { parseDateInput } from '../lib/form-fields';

/** A query-string value as a trimmed string; repeated or missing parameters read as empty. */
const queryText = (max: number) =>
  z.unknown().transform((value) => (typeof value === 'string' ? value.trim().slice(0, max) : ''));

/** The audit log's query string, as typed: lenient, since people edit URLs. */
export const AuditLogQuery = z.object({
  user: queryText(12),
  participant: queryText(100),
  action: queryText(100),
  from: queryText(20),
  to: queryText(20),
});
export type AuditLogQuery = z.infer<typeof AuditLogQuery>;

export interface AuditLogCriteria {
  userId: number | null;
  participantId: number | null;
  /** A name typed in the participant filter, still to be found (an id from a link is `participantId`). */
  participantText: string | null;
  action: string | null;
  /** ISO dates (calendar days in the organisation's zone). */
  from: string | null;
  to: string | null;
}

/**
 * The filters that can be applied, and a message (i18n key) for each one that cannot: an unusable
 * value is left out and explained, never an error page.
 */
export function readAuditLogQuery(query: unknown): { raw: AuditLogQuery; criteria: AuditLogCriteria; problems: string[] } {
  const raw = AuditLogQuery.parse(query ?? {});
  const problems: string[] = [];
  const userId = /^\d{1,9}$/.test(raw.user) && Number(raw.user) > 0 ? Number(raw.user) : null;
  let participantId: number | null = null;
  let participantText: string | null = null;
  if (raw.participant !== '') {
    const digits = raw.participant.replace(/^#/, '');
    if (/^\d{1,9}$/.test(digits) && Number(digits) > 0) participantId = Number(digits);
    else participantText = raw.participant;
  }
  let from = raw.from === '' ? null : parseDateInput(raw.from);
  let to = raw.to === '' ? null : parseDateInput(raw.to);
  if (raw.from !== '' && from === null) problems.push('audit.filters.invalidFrom');
  if (raw.to !== '' && to === null) problems.push('audit.filters.invalidTo');
  if (from !== null && to !== null && to < from) {
    problems.push('audit.filters.reversedRange');
    from = null;
    to = null;
  }
  return {
    raw,
    criteria: { userId, participantId, participantText, action: raw.action === '' ? null : raw.action, from, to },
    problems,
  };
}
