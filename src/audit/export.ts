import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { DateTime } from 'luxon';
import type { Formatters } from '../lib/format';
import type { Translate } from '../platform/i18n';
import type { AuditEventRow } from './queries';
import { wordEvent, type AuditNames } from './wording';

// The audit log's CSV download (UTF-8 with BOM, for Excel): every event of the filter as a row
// with its sentence, written while the batches arrive, so memory use does not depend on the log.

const COLUMNS = ['eventId', 'occurredAt', 'actor', 'event', 'participant', 'details', 'action', 'entity', 'entityId'] as const;

/** auditlog-2026-12-06.csv, in the reader's language. */
export function auditCsvFileName(t: Translate, today: DateTime): string {
  return `${t('audit.download.fileName')}-${today.toISODate()}.csv`;
}

const CLIENT_GONE_CODES = new Set(['ERR_STREAM_PREMATURE_CLOSE', 'ERR_STREAM_DESTROYED', 'ECONNRESET', 'EPIPE']);

export async function writeAuditCsv(
  batches: AsyncIterable<{ events: AuditEventRow[]; names: AuditNames }>,
  res: ServerResponse,
  options: { t: Translate; fmt: Formatters; separator: ',' | ';' },
): Promise<'complete' | 'aborted'> {
  const { t, fmt } = options;
  async function* records(): AsyncGenerator<string[], void, undefined> {
    yield COLUMNS.map((column) => t(`audit.download.columns.${column}`));
    for await (const { events, names } of batches) {
      for (const event of events) {
        const worded = wordEvent({ t, fmt, names }, event);
        yield [
          String(event.id),
          fmt.dateTime(event.occurredAt),
          event.actorName ?? t('audit.sentences.system'),
          worded.sentence,
          worded.participant === null ? '' : (worded.participant.name ?? t('audit.erasedParticipant')),
          worded.details.map(([label, value]) => `${label}: ${value}`).join(' | '),
          event.action,
          event.entityType,
          event.entityId ?? '',
        ];
      }
    }
  }
  try {
    await pipeline(
      Readable.from(records()),
      // escape_formulas: a name or value starting with = + - @ is never run by a spreadsheet.
      stringify({ bom: true, delimiter: options.separator, record_delimiter: 'windows', escape_formulas: true }),
      res,
    );
    return 'complete';
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && CLIENT_GONE_CODES.has(code)) return 'aborted';
    throw error;
  }
}
