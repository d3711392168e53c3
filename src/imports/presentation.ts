import type { ImportKind } from '../db/schema';
import type { Locale } from '../config';
import type { Translate } from '../platform/i18n';
import type { Formatters } from '../lib/format';
import type { ImportProblem } from './cells';
import type { PlannedChange } from './plan';
import { IMPORT_FIELDS, templateHeader } from './fields';

/** Problems shown on one page; the rest is counted ("and N more"). */
export const PROBLEMS_SHOWN = 500;
/** Rows with their changes in words shown on one preview; the rest is counted. */
export const CHANGES_SHOWN = 500;

export const IMPORT_NOTICES = {
  imported: 'imports.notices.imported',
  undone: 'imports.notices.undone',
  discarded: 'imports.notices.discarded',
  mapped: 'imports.notices.mapped',
  changedMeanwhile: 'imports.notices.changedMeanwhile',
  expired: 'imports.notices.expired',
} as const;

/** The templates' and the page's language: Flemish reads the Dutch headers. */
export function headerLanguage(locale: Locale): 'nl' | 'en' {
  return locale === 'en' ? 'en' : 'nl';
}

/** A field's name as the reader's template calls it. */
export function fieldLabel(kind: ImportKind, key: string, locale: Locale): string {
  const found = IMPORT_FIELDS[kind].find((field) => field.key === key);
  return found ? templateHeader(found, headerLanguage(locale)) : key;
}

export function fieldOptions(kind: ImportKind, locale: Locale) {
  return IMPORT_FIELDS[kind].map((field) => ({ value: field.key, label: templateHeader(field, headerLanguage(locale)) }));
}

/** A problem in words, in the reader's language. */
export function problemText(problem: ImportProblem, t: Translate): string {
  const key = ['unreadable', 'empty', 'brokenCsv'].includes(problem.code)
    ? `imports.file.${problem.code}`
    : `imports.problems.${problem.code}`;
  return t(key, { ...(problem.params ?? {}), line: problem.params?.line ?? problem.line });
}

/** Hours per week as the placement's page shows them: 16, or 12,5 with its one decimal. */
const hours = (fmt: Formatters, value: number) => fmt.number(value, value % 1 ? 1 : 0);

/** What one update changes, in words in the reader's language: the hours from → to from a day, the fields. */
export function changeTexts(
  kind: ImportKind,
  changes: readonly PlannedChange[],
  t: Translate,
  fmt: Formatters,
  locale: Locale,
): string[] {
  return changes.map((change) => {
    if (change.code === 'fields') {
      return t('imports.changes.fields', { fields: change.fields.map((key) => fieldLabel(kind, key, locale)).join(', ') });
    }
    const values = { to: hours(fmt, change.to), date: fmt.date(change.date) };
    return change.from === null
      ? t('imports.changes.hoursSet', values)
      : t('imports.changes.hours', { ...values, from: hours(fmt, change.from) });
  });
}
