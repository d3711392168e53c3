import { DateTime } from 'luxon';

// Report periods are ranges of calendar days in the organisation's time zone. Months and quarters
// are written the way people type them in an export form: 2026-10 and 2026-Q3.

/** An inclusive range of calendar days, as ISO dates (yyyy-mm-dd). */
export interface DayRange {
  from: string;
  to: string;
}

const MIN_YEAR = 1900;
const MAX_YEAR = 2200;

function plausibleYear(year: number): boolean {
  return year >= MIN_YEAR && year <= MAX_YEAR;
}

function isoDate(dateTime: DateTime): string {
  return dateTime.toISODate()!;
}

function rangeOf(start: DateTime, unit: 'month' | 'quarter'): DayRange {
  return { from: isoDate(start.startOf(unit)), to: isoDate(start.endOf(unit)) };
}

/** "2026-10" (also "10-2026", "2026/10", "10/2026") → the month's days; null when it is none. */
export function parseMonth(input: string): DayRange | null {
  const value = input.trim();
  const yearFirst = /^(\d{4})\s*[-/.]\s*(\d{1,2})$/.exec(value);
  const monthFirst = /^(\d{1,2})\s*[-/.]\s*(\d{4})$/.exec(value);
  const year = Number(yearFirst?.[1] ?? monthFirst?.[2]);
  const month = Number(yearFirst?.[2] ?? monthFirst?.[1]);
  if (!(yearFirst || monthFirst) || !plausibleYear(year) || month < 1 || month > 12) return null;
  return rangeOf(DateTime.utc(year, month, 1), 'month');
}

/**
 * "2026-Q3" (also "2026 Q3", "Q3-2026", "q3 2026", and "K3" for the Dutch "kwartaal") → the
 * quarter's days; null when it is none.
 */
export function parseQuarter(input: string): DayRange | null {
  const value = input.trim();
  const yearFirst = /^(\d{4})\s*[-/ ]?\s*[QqKk]\s*([1-4])$/.exec(value);
  const quarterFirst = /^[QqKk]\s*([1-4])\s*[-/ ]?\s*(\d{4})$/.exec(value);
  const year = Number(yearFirst?.[1] ?? quarterFirst?.[2]);
  const quarter = Number(yearFirst?.[2] ?? quarterFirst?.[1]);
  if (!(yearFirst || quarterFirst) || !plausibleYear(year)) return null;
  return rangeOf(DateTime.utc(year, (quarter - 1) * 3 + 1, 1), 'quarter');
}

/** The month of a day as the form writes it: 2026-10. */
export function monthLabel(day: string): string {
  return day.slice(0, 7);
}

/** The quarter of a day as the form writes it: 2026-Q4. */
export function quarterLabel(day: string): string {
  const date = DateTime.fromISO(day, { zone: 'utc' });
  return `${date.year}-Q${date.quarter}`;
}

/** The quarter that contains `today`. */
export function quarterContaining(today: string): DayRange {
  return rangeOf(DateTime.fromISO(today, { zone: 'utc' }), 'quarter');
}

/** The last quarter that has fully ended before `today` (commissioners are reported to afterwards). */
export function lastCompleteQuarter(today: string): DayRange {
  return rangeOf(DateTime.fromISO(today, { zone: 'utc' }).startOf('quarter').minus({ days: 1 }), 'quarter');
}

/** The last month that has fully ended before `today`. */
export function lastCompleteMonth(today: string): DayRange {
  return rangeOf(DateTime.fromISO(today, { zone: 'utc' }).startOf('month').minus({ days: 1 }), 'month');
}

/**
 * The instants a range of calendar days covers in a time zone: from the start of the first day up
 * to (not including) the start of the day after the last, so a 23- or 25-hour day counts exactly.
 */
export function instantsOf(range: DayRange, timeZone: string): { start: Date; endExclusive: Date } {
  return {
    start: DateTime.fromISO(range.from, { zone: timeZone }).startOf('day').toJSDate(),
    endExclusive: DateTime.fromISO(range.to, { zone: timeZone }).plus({ days: 1 }).startOf('day').toJSDate(),
  };
}
