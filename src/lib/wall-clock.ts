/**
 * A time zone's wall clock at an instant, as pages show it: every date and time on a page goes
 * through here (lib/format.ts), and so does "today" of every request (lib/viewer.ts).
 *
 * Asking Intl for each instant cost a few microseconds a call, and a list page formats a date or
 * two per row. A zone's offset only changes at its transitions, so it is asked once per zone per
 * UTC hour and kept: within an hour whose first and last second have the same offset, the wall
 * clock is the instant plus that offset, read with Date's UTC getters. An hour in which the offset
 * changes (a clock change) is asked of Intl instant by instant, as before. The result equals
 * Intl's in every case (test/lib/wall-clock.test.ts sweeps transitions of several zones).
 */
export interface WallClock {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
}

const HOUR_MS = 3_600_000;
/** Hours remembered per zone before the memo starts again: years of distinct hours, bounded. */
const MAX_HOURS_PER_ZONE = 50_000;

const secondFormats = new Map<string, Intl.DateTimeFormat>();

function secondFormat(timeZone: string): Intl.DateTimeFormat {
  let format = secondFormats.get(timeZone);
  if (!format) {
    // Only the numbers are read from it (the pattern is ours), so its locale does not matter.
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      numberingSystem: 'latn',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    secondFormats.set(timeZone, format);
  }
  return format;
}

/** en-US with the options above: "03/29/2026, 00:30:15" (parsing it is ~3× faster than formatToParts). */
const EN_US_WALL_CLOCK = /^(\d{2})\/(\d{2})\/(\d{4}), (\d{2}):(\d{2}):(\d{2})$/;

interface IntlWallClock extends WallClock {
  second: string;
}

/** Intl's answer for one instant, or null for what it writes in another shape (a year not of 4 digits). */
function askIntl(ms: number, timeZone: string): IntlWallClock | null {
  const match = EN_US_WALL_CLOCK.exec(secondFormat(timeZone).format(ms));
  if (!match) return null;
  const [, month, day, year, hour, minute, second] = match as unknown as [string, string, string, string, string, string, string];
  return { year, month, day, hour, minute, second };
}

/** The zone's offset (ms) at an instant on a whole second, or null where Intl gives no 4-digit year. */
function offsetAt(ms: number, timeZone: string): number | null {
  const wall = askIntl(ms, timeZone);
  if (!wall) return null;
  const local = Date.UTC(
    Number(wall.year),
    Number(wall.month) - 1,
    Number(wall.day),
    Number(wall.hour),
    Number(wall.minute),
    Number(wall.second),
  );
  return local - ms;
}

/** Per zone: per UTC hour, the offset all through it, or null when it changes within that hour. */
const steadyOffsets = new Map<string, Map<number, number | null>>();

function steadyOffsetOfHour(hour: number, timeZone: string): number | null {
  let hours = steadyOffsets.get(timeZone);
  if (!hours) {
    hours = new Map();
    steadyOffsets.set(timeZone, hours);
  }
  let offset = hours.get(hour);
  if (offset === undefined) {
    // Transitions are far more than an hour apart, so equal offsets at both ends mean none between.
    const first = offsetAt(hour * HOUR_MS, timeZone);
    const last = offsetAt(hour * HOUR_MS + HOUR_MS - 1000, timeZone);
    offset = first !== null && first === last ? first : null;
    if (hours.size >= MAX_HOURS_PER_ZONE) hours.clear();
    hours.set(hour, offset);
  }
  return offset;
}

const twoDigits = (value: number) => (value < 10 ? `0${value}` : String(value));

/** The zone's wall clock at an instant, or null where luxon must decide (invalid, or a year not of 4 digits). */
export function wallClockAt(value: Date, timeZone: string): WallClock | null {
  const ms = value.getTime();
  if (Number.isNaN(ms)) return null;
  const offset = steadyOffsetOfHour(Math.floor(ms / HOUR_MS), timeZone);
  if (offset === null) return askIntl(ms, timeZone);
  const local = new Date(ms + offset);
  const year = local.getUTCFullYear();
  if (year < 1000 || year > 9999) return null;
  return {
    year: String(year),
    month: twoDigits(local.getUTCMonth() + 1),
    day: twoDigits(local.getUTCDate()),
    hour: twoDigits(local.getUTCHours()),
    minute: twoDigits(local.getUTCMinutes()),
  };
}

/**
 * The zone's offset in minutes all through a calendar day ('yyyy-mm-dd'), or null when its clock
 * changes on or near that day: then a wall time of that day must be placed by luxon. Every UTC
 * hour the day could span in any zone (offsets lie within −12 h and +14 h) must have the same
 * steady offset, in whole minutes.
 */
export function steadyOffsetOnDay(day: string, timeZone: string): number | null {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const midnightHour = Date.UTC(year, month - 1, date) / HOUR_MS;
  if (!Number.isInteger(midnightHour)) return null;
  let offset: number | null = null;
  for (let hour = midnightHour - 14; hour < midnightHour + 24 + 12; hour += 1) {
    const hourOffset = steadyOffsetOfHour(hour, timeZone);
    if (hourOffset === null || (offset !== null && hourOffset !== offset)) return null;
    offset = hourOffset;
  }
  return offset !== null && offset % 60_000 === 0 ? offset / 60_000 : null;
}
