import { DateTime } from 'luxon';
import type { Locale } from '../config';
import { wallClockAt } from './wall-clock';

/**
 * Display helpers bound to the reader's locale and the organisation's time zone. Views use these
 * and never format dates themselves, so "today" and every timestamp mean the same everywhere.
 */
export interface Formatters {
  /** An instant or a calendar day ("2026-11-23", as date columns are read) as a date. */
  date(value: Date | DateTime | string | null | undefined): string;
  /** A calendar day as the date forms accept back: dd-mm-yyyy in Dutch, dd/mm/yyyy in English. */
  dateInput(value: string | null | undefined): string;
  dateTime(value: Date | DateTime | null | undefined): string;
  time(value: Date | DateTime | null | undefined): string;
  number(value: number | null | undefined, fractionDigits?: number): string;
}

const intlLocale: Record<Locale, string> = { nl: 'nl-NL', 'nl-BE': 'nl-BE', en: 'en-GB' };
/** dd-mm-yyyy in Dutch, dd/mm/yyyy in Flemish and English: the forms accept every one of these shapes. */
const dateSeparator: Record<Locale, string> = { nl: '-', 'nl-BE': '/', en: '/' };

function toZoned(value: Date | DateTime | string, timeZone: string, locale: Locale): DateTime {
  // A bare ISO date is a calendar day in the organisation's zone, never shifted.
  const dateTime =
    typeof value === 'string'
      ? DateTime.fromISO(value, { zone: timeZone })
      : value instanceof Date
        ? DateTime.fromJSDate(value)
        : value;
  return dateTime.setZone(timeZone).setLocale(intlLocale[locale]);
}

// Pages format a date or two per row, and a luxon DateTime per cell (parse, zone, locale, token
// formatter) was a large share of rendering a list. The common inputs — a JS Date (timestamptz,
// through lib/wall-clock.ts) and a bare 'yyyy-mm-dd' (date column) — take the fast paths below;
// anything else (a DateTime, another ISO shape, an invalid value) still goes through luxon, so the
// output is the same in every case.

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A bare calendar day, when it is a real one; null sends it to luxon. */
function isoDay(value: string): { year: string; month: string; day: string } | null {
  const match = ISO_DAY.exec(value);
  if (!match) return null;
  const [, year, month, day] = match as unknown as [string, string, string, string];
  const check = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return check.getUTCMonth() === Number(month) - 1 && check.getUTCDate() === Number(day) ? { year, month, day } : null;
}

const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: Locale, fractionDigits: number): Intl.NumberFormat {
  const key = `${locale}:${fractionDigits}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(intlLocale[locale], {
      minimumFractionDigits: fractionDigits,
      maximumFractionDigits: fractionDigits,
    });
    numberFormats.set(key, format);
  }
  return format;
}

export function createFormatters(locale: Locale, timeZone: string): Formatters {
  const separator = dateSeparator[locale];
  const datePattern = `dd${separator}MM${separator}yyyy`;
  const joinDate = (parts: { year: string; month: string; day: string }) =>
    `${parts.day}${separator}${parts.month}${separator}${parts.year}`;

  return {
    date: (value) => {
      if (!value) return '';
      const fast = value instanceof Date ? wallClockAt(value, timeZone) : typeof value === 'string' ? isoDay(value) : null;
      return fast ? joinDate(fast) : toZoned(value, timeZone, locale).toFormat(datePattern);
    },
    dateInput: (value) => {
      if (!value) return '';
      const fast = isoDay(value);
      return fast ? joinDate(fast) : DateTime.fromISO(value).toFormat(datePattern);
    },
    dateTime: (value) => {
      if (!value) return '';
      const fast = value instanceof Date ? wallClockAt(value, timeZone) : null;
      return fast
        ? `${joinDate(fast)} ${fast.hour}:${fast.minute}`
        : toZoned(value, timeZone, locale).toFormat(`${datePattern} HH:mm`);
    },
    time: (value) => {
      if (!value) return '';
      const fast = value instanceof Date ? wallClockAt(value, timeZone) : null;
      return fast ? `${fast.hour}:${fast.minute}` : toZoned(value, timeZone, locale).toFormat('HH:mm');
    },
    number: (value, fractionDigits = 0) =>
      value === null || value === undefined ? '' : numberFormat(locale, fractionDigits).format(value),
  };
}
