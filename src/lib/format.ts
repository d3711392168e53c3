import { DateTime } from 'luxon';
import type { Locale } from '../config';

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

const intlLocale: Record<Locale, string> = { nl: 'nl-NL', en: 'en-GB' };

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

export function createFormatters(locale: Locale, timeZone: string): Formatters {
  return {
    // dd-mm-yyyy in Dutch, dd/mm/yyyy in English: the forms accept the same shapes.
    date: (value) => (value ? toZoned(value, timeZone, locale).toFormat(locale === 'nl' ? 'dd-MM-yyyy' : 'dd/MM/yyyy') : ''),
    dateInput: (value) => (value ? DateTime.fromISO(value).toFormat(locale === 'nl' ? 'dd-MM-yyyy' : 'dd/MM/yyyy') : ''),
    dateTime: (value) =>
      value ? toZoned(value, timeZone, locale).toFormat(locale === 'nl' ? 'dd-MM-yyyy HH:mm' : 'dd/MM/yyyy HH:mm') : '',
    time: (value) => (value ? toZoned(value, timeZone, locale).toFormat('HH:mm') : ''),
    number: (value, fractionDigits = 0) =>
      value === null || value === undefined
        ? ''
        : new Intl.NumberFormat(intlLocale[locale], {
            minimumFractionDigits: fractionDigits,
            maximumFractionDigits: fractionDigits,
          }).format(value),
  };
}
