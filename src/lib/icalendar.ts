import { DateTime, IANAZone } from 'luxon';

// A small iCalendar (RFC 5545) writer for the calendar feed: what the feed needs and no more.
//
// Why not a library: ical-generator (the maintained choice; 11.x needs Node 22, 10.x runs on 20)
// writes DTSTAMP in the calendar's local time without "Z" as soon as a calendar time zone is set,
// and a calendar time zone is the only way it adds a VTIMEZONE; RFC 5545 §3.8.7.2 requires DTSTAMP
// in UTC. It also leaves the calendar's NAME unescaped and has no VTIMEZONE of its own (it needs a
// generator from a tz-data snapshot). The rules below are few: text escaping (§3.3.11), folding at
// 75 octets (§3.1), DATE and local DATE-TIME values with TZID (§3.3.4, §3.3.5), and a VTIMEZONE
// built from the same time-zone data luxon uses everywhere else in the app (§3.6.5).

/** A day ('2026-12-07') or a wall-clock time in the calendar's zone. */
export type IcsMoment = { kind: 'date'; date: string } | { kind: 'time'; at: DateTime };

export interface IcsEvent {
  /** Globally unique and stable: the same planned contact keeps its UID across fetches. */
  uid: string;
  /** When this information was last revised (written in UTC). */
  stamp: Date;
  /** Raised when the event changes, so clients that compare it take the new version. */
  sequence: number;
  start: IcsMoment;
  /** Exclusive: the day after an all-day event's day, or the end time of a timed one. */
  end: IcsMoment;
  summary: string;
  description: string;
  url: string;
  /** An all-day reminder should not show the whole day as busy. */
  transparent: boolean;
}

export interface IcsCalendar {
  /** PRODID: who made it (RFC 5545 §3.7.3). */
  productId: string;
  name: string;
  /** IANA zone of every timed event (TZID) and of the VTIMEZONE. */
  timeZone: string;
  /** How often a client should fetch again. */
  refreshMinutes: number;
  /** The period the events lie in: the VTIMEZONE covers it. */
  covers: { from: DateTime; until: DateTime };
  events: readonly IcsEvent[];
}

const CRLF = '\r\n';
/** RFC 5545 §3.1: lines longer than 75 octets (without the line break) are folded. */
const MAX_LINE_OCTETS = 75;

/**
 * A TEXT value (§3.3.11): backslash, semicolon and comma escaped, each line break as \n. Control
 * characters other than tab are not allowed in TEXT, so they are left out.
 */
export function escapeText(value: string): string {
  return Array.from(value.replace(/\r\n|\r/g, '\n'))
    .filter((character) => !isForbiddenControl(character))
    .join('')
    .replace(/[\\;,]/g, (character) => `\\${character}`)
    .replace(/\n/g, '\\n');
}

/** C0 controls and DEL, except tab and the line feed (escaped as \n). */
function isForbiddenControl(character: string): boolean {
  const code = character.charCodeAt(0);
  return (code < 0x20 && character !== '\t' && character !== '\n') || code === 0x7f;
}

/**
 * One content line folded (§3.1): no physical line longer than 75 octets; each continuation starts
 * with a space (counted in its 75). Folds fall between characters (code points), never inside a
 * UTF-8 sequence.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const character of line) {
    const size = Buffer.byteLength(character, 'utf8');
    if (octets + size > MAX_LINE_OCTETS) {
      parts.push(current);
      current = ' ';
      octets = 1;
    }
    current += character;
    octets += size;
  }
  parts.push(current);
  return parts.join(CRLF);
}

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/** 20261207T100000 from a wall clock (local: no Z). */
function localDateTime(at: DateTime): string {
  return at.toFormat("yyyyLLdd'T'HHmmss");
}

/** 20261206T091500Z */
function utcDateTime(at: Date): string {
  return DateTime.fromJSDate(at, { zone: 'utc' }).toFormat("yyyyLLdd'T'HHmmss'Z'");
}

/** ±hhmm (§3.3.14), from minutes east of UTC. */
function utcOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const absolute = Math.abs(minutes);
  return `${sign}${twoDigits(Math.floor(absolute / 60))}${twoDigits(absolute % 60)}`;
}

function momentProperty(name: 'DTSTART' | 'DTEND', moment: IcsMoment, timeZone: string): string {
  if (moment.kind === 'date') return `${name};VALUE=DATE:${moment.date.replace(/-/g, '')}`;
  return `${name};TZID=${timeZone}:${localDateTime(moment.at.setZone(timeZone))}`;
}

interface Transition {
  /** The first instant (ms) of the new offset. */
  at: number;
  offsetFrom: number;
  offsetTo: number;
}

const HOUR_MS = 3_600_000;
/** Offsets are compared every 6 hours: zones change at most twice a year, never twice in 6 hours. */
const SCAN_STEP_MS = 6 * HOUR_MS;

/** The instants in [fromMs, untilMs] at which the zone's UTC offset changes. */
function transitionsBetween(zone: IANAZone, fromMs: number, untilMs: number): Transition[] {
  const transitions: Transition[] = [];
  let previousAt = fromMs;
  let previousOffset = zone.offset(fromMs);
  for (let at = fromMs + SCAN_STEP_MS; at <= untilMs + SCAN_STEP_MS; at += SCAN_STEP_MS) {
    const offset = zone.offset(at);
    if (offset !== previousOffset) {
      // Narrow down to the millisecond: old offset at `low`, new one at `high`.
      let low = previousAt;
      let high = at;
      while (high - low > 1) {
        const middle = Math.floor((low + high) / 2);
        if (zone.offset(middle) === previousOffset) low = middle;
        else high = middle;
      }
      if (high >= fromMs && high <= untilMs) transitions.push({ at: high, offsetFrom: previousOffset, offsetTo: offset });
      previousOffset = offset;
    }
    previousAt = at;
  }
  return transitions;
}

/**
 * A VTIMEZONE for the zone over the given period (§3.6.5): the observance in force at its start and
 * one for each change of offset within it, each with its own DTSTART (no RRULE, so nothing depends
 * on the rule staying the same in later years). DTSTART is the onset in the local time before it.
 */
export function vtimezoneLines(timeZone: string, from: DateTime, until: DateTime): string[] {
  const zone = IANAZone.create(timeZone);
  if (!zone.isValid) throw new Error(`not an IANA time zone: ${timeZone}`);
  const fromMs = from.toMillis();
  // The observance in force at the start began at the last change before it (within a year and a
  // bit: zones with daylight saving time change twice a year).
  const earlier = transitionsBetween(zone, fromMs - 400 * 24 * HOUR_MS, fromMs);
  const within = transitionsBetween(zone, fromMs + 1, until.toMillis());
  const inForce = earlier.at(-1);
  const lines = ['BEGIN:VTIMEZONE', `TZID:${timeZone}`];
  if (inForce) {
    lines.push(...observanceLines(timeZone, inForce));
  } else {
    // No change in the last year: one observance since 1970 with the offset of the start.
    const offset = zone.offset(fromMs);
    lines.push(
      'BEGIN:STANDARD',
      'DTSTART:19700101T000000',
      `TZOFFSETFROM:${utcOffset(offset)}`,
      `TZOFFSETTO:${utcOffset(offset)}`,
      ...zoneName(timeZone, fromMs),
      'END:STANDARD',
    );
  }
  for (const transition of within) lines.push(...observanceLines(timeZone, transition));
  lines.push('END:VTIMEZONE');
  return lines;
}

function observanceLines(timeZone: string, transition: Transition): string[] {
  const kind = DateTime.fromMillis(transition.at, { zone: timeZone }).isInDST ? 'DAYLIGHT' : 'STANDARD';
  // The onset as the wall clock showed it just before the change.
  const onset = DateTime.fromMillis(transition.at + transition.offsetFrom * 60_000, { zone: 'utc' });
  return [
    `BEGIN:${kind}`,
    `DTSTART:${localDateTime(onset)}`,
    `TZOFFSETFROM:${utcOffset(transition.offsetFrom)}`,
    `TZOFFSETTO:${utcOffset(transition.offsetTo)}`,
    ...zoneName(timeZone, transition.at),
    `END:${kind}`,
  ];
}

/**
 * TZNAME (optional): the short name people know where the zone data has one (CET and CEST in
 * British English, EST and EDT in American English), else what it gives ("GMT+9").
 */
function zoneName(timeZone: string, at: number): string[] {
  const names = ['en-GB', 'en-US'].map((locale) => DateTime.fromMillis(at, { zone: timeZone }).setLocale(locale).offsetNameShort);
  const name = names.find((candidate) => candidate && !/^(GMT|UTC)/.test(candidate)) ?? names[0];
  return name ? [`TZNAME:${escapeText(name)}`] : [];
}

function eventLines(event: IcsEvent, timeZone: string): string[] {
  return [
    'BEGIN:VEVENT',
    `UID:${escapeText(event.uid)}`,
    `DTSTAMP:${utcDateTime(event.stamp)}`,
    `SEQUENCE:${event.sequence}`,
    momentProperty('DTSTART', event.start, timeZone),
    momentProperty('DTEND', event.end, timeZone),
    `SUMMARY:${escapeText(event.summary)}`,
    `DESCRIPTION:${escapeText(event.description)}`,
    // URL's value is a URI (§3.8.4.6), not TEXT: written as it is, without TEXT's escapes.
    `URL:${event.url}`,
    // Only the owner sees what a shared calendar shows of it: busy, nothing more.
    'CLASS:PRIVATE',
    `TRANSP:${event.transparent ? 'TRANSPARENT' : 'OPAQUE'}`,
    'END:VEVENT',
  ];
}

/** The whole calendar as text/calendar: CRLF line ends, every line folded. */
export function renderCalendar(calendar: IcsCalendar): string {
  const refresh = `PT${calendar.refreshMinutes}M`;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${calendar.productId}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `NAME:${escapeText(calendar.name)}`,
    `X-WR-CALNAME:${escapeText(calendar.name)}`,
    `X-WR-TIMEZONE:${calendar.timeZone}`,
    `REFRESH-INTERVAL;VALUE=DURATION:${refresh}`,
    `X-PUBLISHED-TTL:${refresh}`,
    ...vtimezoneLines(calendar.timeZone, calendar.covers.from, calendar.covers.until),
    ...calendar.events.flatMap((event) => eventLines(event, calendar.timeZone)),
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join(CRLF) + CRLF;
}
