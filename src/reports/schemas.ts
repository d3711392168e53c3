import { z } from 'zod';
import { choice, parseDateInput, requiredDate, requiredId } from '../lib/form-fields';
import { parseMonth, parseQuarter, type DayRange } from './periods';

export const PERIOD_KINDS = ['month', 'quarter', 'custom'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];
export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const CSV_SEPARATORS = ['comma', 'semicolon'] as const;
export type CsvSeparator = (typeof CSV_SEPARATORS)[number];

/** What a valid export form asks for, with the period already turned into days. */
export interface PeriodExportRequest {
  commissionerId: number;
  periodKind: PeriodKind;
  period: DayRange;
  format: ExportFormat;
  /** Only a CSV has a separator. */
  separator: CsvSeparator | null;
  pseudonymise: boolean;
}

const PSEUDONYMISE_ON = ['1', 'on', 'true', 'yes'];
const PSEUDONYMISE_OFF = ['', '0', 'off', 'false', 'no'];

const optionalString = z.string().optional();

/**
 * The export form, read from the query string. Every field is taken as text first and checked in
 * one pass, so the person sees every problem at once (zod would skip the period checks once the
 * commissioner failed). The chosen period kind decides which period fields are read, so the form
 * works without JavaScript: the month field is ignored when "quarter" is chosen, and so on.
 */
export const PeriodExportQuery = z
  .object({
    commissionerId: optionalString,
    periodKind: optionalString,
    month: optionalString,
    quarter: optionalString,
    from: optionalString,
    to: optionalString,
    format: optionalString,
    separator: optionalString,
    pseudonymise: optionalString,
  })
  .transform((raw, ctx): PeriodExportRequest => {
    const problem = (field: string, message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path: [field], message });
    const firstMessage = (result: z.SafeParseReturnType<unknown, unknown>) =>
      result.success ? null : (result.error.issues[0]?.message ?? 'validation.choice');

    const commissioner = requiredId().safeParse(raw.commissionerId ?? '');
    if (!commissioner.success) problem('commissionerId', 'reports.export.errors.commissioner');

    const kind = choice(PERIOD_KINDS).safeParse(raw.periodKind);
    let period: DayRange | null = null;
    if (!kind.success) {
      problem('periodKind', 'reports.export.errors.periodKind');
    } else if (kind.data === 'month') {
      period = parseMonth(raw.month ?? '');
      if (!period) problem('month', 'reports.export.errors.month');
    } else if (kind.data === 'quarter') {
      period = parseQuarter(raw.quarter ?? '');
      if (!period) problem('quarter', 'reports.export.errors.quarter');
    } else {
      const from = requiredDate().safeParse(raw.from ?? '');
      const to = requiredDate().safeParse(raw.to ?? '');
      if (!from.success) problem('from', firstMessage(from)!);
      if (!to.success) problem('to', firstMessage(to)!);
      if (from.success && to.success) {
        if (to.data < from.data) problem('to', 'reports.export.errors.toBeforeFrom');
        else period = { from: from.data, to: to.data };
      }
    }

    const format = choice(EXPORT_FORMATS).safeParse(raw.format);
    if (!format.success) problem('format', 'reports.export.errors.format');
    let separator: CsvSeparator | null = null;
    if (format.success && format.data === 'csv') {
      const parsed = choice(CSV_SEPARATORS).safeParse(raw.separator);
      if (parsed.success) separator = parsed.data;
      else problem('separator', 'reports.export.errors.separator');
    }

    const pseudonymiseValue = (raw.pseudonymise ?? '').trim().toLowerCase();
    const pseudonymise = PSEUDONYMISE_ON.includes(pseudonymiseValue);
    if (!pseudonymise && !PSEUDONYMISE_OFF.includes(pseudonymiseValue)) problem('pseudonymise', 'validation.choice');

    if (!commissioner.success || !kind.success || !period || !format.success || (format.data === 'csv' && !separator)) {
      return z.NEVER;
    }
    return {
      commissionerId: commissioner.data,
      periodKind: kind.data,
      period,
      format: format.data,
      separator,
      pseudonymise,
    };
  });

/** The period of the trajectory list: ?from=&to= as dates (dd-mm-yyyy or ISO). */
export const ReportListQuery = z.object({ from: optionalString, to: optionalString }).catch({});
export type ReportListQuery = z.infer<typeof ReportListQuery>;

export interface ListPeriod {
  period: DayRange;
  /** What the filter fields show: the typed text, or the applied period when nothing was typed. */
  typed: { from: string | null; to: string | null };
  /** i18n keys of what could not be applied (the default period is used instead). */
  problems: string[];
}

/**
 * Reads the list's period leniently: a missing or unreadable date, or a reversed range, falls back
 * to `fallback` (with a message saying so) instead of failing the page.
 */
export function listPeriodFrom(query: unknown, fallback: DayRange): ListPeriod {
  const { from, to } = ReportListQuery.parse(query ?? {});
  const typedFrom = from?.trim() ? from.trim() : null;
  const typedTo = to?.trim() ? to.trim() : null;
  if (typedFrom === null && typedTo === null) return { period: fallback, typed: { from: null, to: null }, problems: [] };
  const problems: string[] = [];
  const parsedFrom = typedFrom === null ? fallback.from : parseDateInput(typedFrom);
  const parsedTo = typedTo === null ? fallback.to : parseDateInput(typedTo);
  if (parsedFrom === null) problems.push('reports.list.invalidFrom');
  if (parsedTo === null) problems.push('reports.list.invalidTo');
  if (parsedFrom !== null && parsedTo !== null && parsedTo < parsedFrom) problems.push('reports.list.reversedRange');
  if (problems.length > 0 || parsedFrom === null || parsedTo === null) {
    return { period: fallback, typed: { from: typedFrom, to: typedTo }, problems };
  }
  return { period: { from: parsedFrom, to: parsedTo }, typed: { from: typedFrom, to: typedTo }, problems };
}
