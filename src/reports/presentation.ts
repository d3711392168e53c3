import type { Locale } from '../config';
import type { Formatters } from '../lib/format';
import type { PageInfo } from '../lib/pagination';
import type { Viewer } from '../lib/viewer';
import type { FormState } from '../web/post-form';
import { lastCompleteMonth, lastCompleteQuarter, monthLabel, quarterLabel } from './periods';
import { CSV_SEPARATORS, EXPORT_FORMATS, PERIOD_KINDS, type ListPeriod } from './schemas';
import type { ActiveTrajectoryRow, CommissionerChoiceRow } from './service';

/** The export form's field labels, for the form and its error summary. */
export const EXPORT_FIELD_LABELS: Record<string, string> = {
  commissionerId: 'reports.export.fields.commissionerId',
  periodKind: 'reports.export.fields.periodKind',
  month: 'reports.export.fields.month',
  quarter: 'reports.export.fields.quarter',
  from: 'reports.export.fields.from',
  to: 'reports.export.fields.to',
  format: 'reports.export.fields.format',
  separator: 'reports.export.fields.separator',
  pseudonymise: 'reports.export.fields.pseudonymise',
};

/** The export form as it first appears: the last complete quarter, and the reader's usual CSV separator. */
export function exportDefaults(viewer: Viewer, fmt: Formatters, locale: Locale): Record<string, string> {
  const quarter = lastCompleteQuarter(viewer.today);
  return {
    commissionerId: '',
    periodKind: 'quarter',
    month: monthLabel(lastCompleteMonth(viewer.today).from),
    quarter: quarterLabel(quarter.from),
    from: fmt.dateInput(quarter.from),
    to: fmt.dateInput(quarter.to),
    format: 'csv',
    separator: locale === 'en' ? 'comma' : 'semicolon',
    pseudonymise: '',
  };
}

/** The export form: the defaults, with what was sent over them when the page answers a refused export. */
export function exportFormView(commissioners: CommissionerChoiceRow[], defaults: Record<string, string>, sent?: FormState) {
  const errors = sent?.errors ?? {};
  const values = { ...defaults, ...(sent?.values ?? {}) };
  // A choice that failed shows as not chosen rather than as the default.
  for (const field of Object.keys(errors)) values[field] = sent?.values[field] ?? '';
  return {
    commissioners,
    values,
    errors,
    labels: EXPORT_FIELD_LABELS,
    periodKinds: PERIOD_KINDS,
    formats: EXPORT_FORMATS,
    separators: CSV_SEPARATORS,
  };
}

/** The trajectory list of a period: the filter as typed (or the period applied), the rows and their pages. */
export function listView(listPeriod: ListPeriod, rows: ActiveTrajectoryRow[], pagination: PageInfo, fmt: Formatters) {
  const { period, typed } = listPeriod;
  return {
    period,
    typed: { from: typed.from ?? fmt.dateInput(period.from), to: typed.to ?? fmt.dateInput(period.to) },
    problems: listPeriod.problems,
    rows,
    reportQuery: new URLSearchParams({ from: period.from, to: period.to }).toString(),
    pagination,
  };
}
