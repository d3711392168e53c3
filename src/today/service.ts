import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import { steadyOffsetOnDay } from '../lib/wall-clock';
import {
  UNREACHED_OUTCOMES,
  type ContactChannel,
  type ContactCounterpart,
  type ContactOutcome,
  type Database,
  type ParticipantStatus,
} from '../db/schema';
import { isoDateIn, type Viewer } from '../lib/viewer';
// daysBetween counts calendar days between ISO dates in UTC, so a 23- or 25-hour day is still one day.
import { assessmentOn, daysBetween, type FlagLevel, type RiskReason } from '../risk/service';
import {
  findLoggedContact,
  listDayCandidates,
  SUMMARY_PREVIEW_LENGTH,
  type DayCandidateRow,
  type LoggedContactRow,
} from './queries';

/** The sections of the coach's day, in the order a participant is placed in the first that applies. */
export const DAY_SECTIONS = ['callNow', 'overdue', 'dueToday', 'firstContact', 'retry', 'unplanned'] as const;
export type DaySection = (typeof DAY_SECTIONS)[number];

/** Why a participant is on the day page, as the row puts it in words. */
export type DayReason =
  | { kind: 'callNow'; plannedTime: string; minutesLate: number }
  | { kind: 'overdue'; plannedDate: string; plannedTime: string | null; daysLate: number }
  | { kind: 'dueToday'; plannedTime: string | null }
  | { kind: 'retry'; attempts: number; since: Date }
  /** Never reached: `attempts` failed calls so far (0: none tried), registered on `registeredAt`. */
  | { kind: 'firstContact'; attempts: number; registeredAt: Date }
  | { kind: 'noNextContact' };

export interface DayRow {
  id: number;
  firstName: string;
  lastName: string;
  phone: string | null;
  status: ParticipantStatus;
  /** The absent coach's name when the viewer sees this participant as a stand-in, else null. */
  standInFor: string | null;
  reason: DayReason;
  lastContact: {
    id: number;
    occurredAt: Date;
    channel: ContactChannel;
    counterpart: ContactCounterpart;
    outcome: ContactOutcome;
  } | null;
  /** The latest contact that reached someone, with the start of its summary: what was talked about. */
  lastConversation: { id: number; occurredAt: Date; summary: string | null } | null;
  /** The risk flag (amber or red) with the reason to show, or null: no flag or not scored. */
  risk: DayRisk | null;
}

export interface DayRisk {
  level: FlagLevel;
  /** The first reason at the participant's level: the one that makes them this colour. */
  reason: RiskReason;
  /** An active acknowledgement covers the flag: the row still shows the level, marked acknowledged. */
  acknowledged: boolean;
}

export interface CoachDay {
  sections: Record<DaySection, DayRow[]>;
  /** Open participants on no section: their next contact is planned after today, or none is needed. */
  notListed: number;
  /** Open participants (intake, active, paused) the viewer sees today. */
  caseloadSize: number;
}

/** 'HH:MM:SS' as stored in a `time` column → 'HH:MM'. */
function hoursAndMinutes(time: string | null): string | null {
  return time === null ? null : time.slice(0, 5);
}

function isUnreached(outcome: ContactOutcome | null): boolean {
  return outcome !== null && UNREACHED_OUTCOMES.includes(outcome);
}

/** A contact's place in the order of contacts: when it happened, when it was recorded, its id. */
interface ContactOrderKey {
  at: Date;
  recordedAt: Date;
  id: number;
}

/** Whether contact a comes after contact b, in the order the timeline uses (decisions.md, "Coach's day"). */
function isLater(a: ContactOrderKey, b: ContactOrderKey): boolean {
  return (a.at.getTime() - b.at.getTime() || a.recordedAt.getTime() - b.recordedAt.getTime() || a.id - b.id) > 0;
}

/** The moment the day is looked at: the organisation's date, and the instant. */
export interface DayMoment {
  today: string;
  /** The instant, in milliseconds. */
  nowMs: number;
  timeZone: string;
  /**
   * The zone's offset in minutes all through today, or null around a clock change: with it, a time
   * planned today is an instant by arithmetic, without a luxon DateTime per row.
   */
  steadyOffsetMinutes: number | null;
}

export function dayMomentOf(now: DateTime, timeZone: string): DayMoment {
  const today = isoDateIn(now, timeZone);
  return { today, nowMs: now.toMillis(), timeZone, steadyOffsetMinutes: steadyOffsetOnDay(today, timeZone) };
}

/** Whole minutes from a time planned today ('HH:MM') to the moment: negative while it is still to come. */
function minutesSincePlanned(plannedTime: string, moment: DayMoment): number {
  let plannedAt: number;
  if (moment.steadyOffsetMinutes !== null) {
    const [year, month, day] = moment.today.split('-').map(Number) as [number, number, number];
    const [hour, minute] = plannedTime.split(':').map(Number) as [number, number];
    plannedAt = Date.UTC(year, month - 1, day, hour, minute) - moment.steadyOffsetMinutes * 60_000;
  } else {
    // Instants, not wall times: in the hour a clock change repeats, 02:30 is its first 02:30.
    plannedAt = DateTime.fromISO(`${moment.today}T${plannedTime}`, { zone: moment.timeZone }).toMillis();
  }
  return Math.floor((moment.nowMs - plannedAt) / 60_000);
}

/**
 * The first section that applies to a participant at `moment` (org zone), with its reason, or null
 * when the participant needs nothing today. The planned next contact is the one recorded on the
 * latest contact moment: a later contact without a plan replaces an earlier plan. A call planned
 * for a time today that has come is due now; one of an earlier day is overdue. A participant never
 * reached (failed first attempts included) needs a first contact until reached (decisions.md).
 */
export function placeOnDay(row: DayCandidateRow, moment: DayMoment): { section: DaySection; reason: DayReason } | null {
  const { today } = moment;
  const plannedDate = row.nextContactDate;
  const plannedTime = hoursAndMinutes(row.nextContactTime);
  if (plannedDate !== null && plannedDate < today) {
    return {
      section: 'overdue',
      reason: { kind: 'overdue', plannedDate, plannedTime, daysLate: daysBetween(plannedDate, today) },
    };
  }
  if (plannedDate === today && plannedTime !== null) {
    const minutesLate = minutesSincePlanned(plannedTime, moment);
    if (minutesLate >= 0) return { section: 'callNow', reason: { kind: 'callNow', plannedTime, minutesLate } };
  }
  if (plannedDate === today) return { section: 'dueToday', reason: { kind: 'dueToday', plannedTime } };
  if (row.reachedId === null && (row.status === 'intake' || row.status === 'active')) {
    return {
      section: 'firstContact',
      reason: { kind: 'firstContact', attempts: row.unreachedCount ?? 0, registeredAt: row.registeredAt },
    };
  }
  if (row.attemptId !== null && row.attemptOccurredAt !== null && isUnreached(row.attemptOutcome)) {
    // Only reaching the participant themself ends "retry": news from the employer or family is
    // welcome, but the person drifting out of view is the one who must be reached (product.md).
    const reachedSince =
      row.reachedId !== null &&
      row.reachedOccurredAt !== null &&
      isLater(
        { at: row.reachedOccurredAt, recordedAt: row.reachedRecordedAt ?? row.reachedOccurredAt, id: row.reachedId },
        { at: row.attemptOccurredAt, recordedAt: row.attemptRecordedAt ?? row.attemptOccurredAt, id: row.attemptId },
      );
    if (!reachedSince) {
      return {
        section: 'retry',
        reason: {
          kind: 'retry',
          attempts: Math.max(row.unreachedCount ?? 1, 1),
          since: row.unreachedSince ?? row.attemptOccurredAt,
        },
      };
    }
  }
  if (row.status === 'active' && plannedDate === null) return { section: 'unplanned', reason: { kind: 'noNextContact' } };
  return null;
}

/** The start of a summary on one line, cut at a word where it is too long for a row. */
export function summaryPreview(summary: string | null): string | null {
  if (summary === null) return null;
  const oneLine = summary.replace(/\s+/g, ' ').trim();
  if (oneLine.length === 0) return null;
  if (oneLine.length <= SUMMARY_PREVIEW_LENGTH) return oneLine;
  const cut = oneLine.slice(0, SUMMARY_PREVIEW_LENGTH);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > SUMMARY_PREVIEW_LENGTH / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}

// One collator for every comparison: localeCompare with a locale sets one up per call.
const NAME_ORDER = new Intl.Collator('nl', { sensitivity: 'base' });
const byName = (a: DayRow, b: DayRow) =>
  NAME_ORDER.compare(a.lastName, b.lastName) || NAME_ORDER.compare(a.firstName, b.firstName) || a.id - b.id;

/** Untimed plans ("some time that day") sort after every timed one. */
const byPlannedTime = (a: string | null, b: string | null) => (a ?? '99:99').localeCompare(b ?? '99:99');

function sortSection(section: DaySection, rows: DayRow[]): DayRow[] {
  return rows.sort((a, b) => {
    const ra = a.reason;
    const rb = b.reason;
    if (ra.kind === 'callNow' && rb.kind === 'callNow') return byPlannedTime(ra.plannedTime, rb.plannedTime) || byName(a, b);
    if (ra.kind === 'firstContact' && rb.kind === 'firstContact') {
      // The longest waiting for a first contact first; registered in the same millisecond (an
      // import, a test), the one registered first.
      return ra.registeredAt.getTime() - rb.registeredAt.getTime() || a.id - b.id;
    }
    if (ra.kind === 'overdue' && rb.kind === 'overdue') {
      // The longest overdue first.
      return ra.plannedDate.localeCompare(rb.plannedDate) || byPlannedTime(ra.plannedTime, rb.plannedTime) || byName(a, b);
    }
    if (ra.kind === 'dueToday' && rb.kind === 'dueToday') return byPlannedTime(ra.plannedTime, rb.plannedTime) || byName(a, b);
    if (ra.kind === 'retry' && rb.kind === 'retry') {
      // The longest out of reach first.
      return ra.since.getTime() - rb.since.getTime() || byName(a, b);
    }
    if (section === 'unplanned') {
      // The longest since any contact first.
      const at = a.lastContact?.occurredAt.getTime() ?? -Infinity;
      const bt = b.lastContact?.occurredAt.getTime() ?? -Infinity;
      return at === bt ? byName(a, b) : at - bt;
    }
    return byName(a, b);
  });
}

/**
 * The row's flag from the stored risk state: its level, the first reason at that level (the one
 * that makes them this colour) with its day counts moved on to today (assessmentOn, as the
 * dashboard reads them), and whether an active acknowledgement covers it.
 */
function riskOf(row: DayCandidateRow, today: string): DayRisk | null {
  if (row.riskLevel !== 'amber' && row.riskLevel !== 'red') return null;
  const level = row.riskLevel;
  const { reasons } = assessmentOn({ level, reasons: row.riskReasons as RiskReason[] }, row.riskScoredOn ?? today, today);
  const reason = reasons.find((candidate) => candidate.level === level) ?? reasons[0]!;
  return { level, reason, acknowledged: row.riskAcknowledged };
}

function toDayRow(row: DayCandidateRow, viewer: Viewer, reason: DayReason): DayRow {
  return {
    id: row.id,
    firstName: row.firstName,
    lastName: row.lastName,
    phone: row.phone,
    status: row.status,
    standInFor: row.coachId === viewer.userId ? null : row.coachName,
    reason,
    lastContact:
      row.latestId !== null && row.latestOccurredAt && row.latestChannel && row.latestCounterpart && row.latestOutcome
        ? {
            id: row.latestId,
            occurredAt: row.latestOccurredAt,
            channel: row.latestChannel,
            counterpart: row.latestCounterpart,
            outcome: row.latestOutcome,
          }
        : null,
    lastConversation:
      row.reachedId !== null && row.reachedOccurredAt
        ? { id: row.reachedId, occurredAt: row.reachedOccurredAt, summary: summaryPreview(row.reachedSummary) }
        : null,
    risk: riskOf(row, viewer.today),
  };
}

const RISK_RANK: Record<FlagLevel, number> = { red: 0, amber: 1 };

/** Red first, then amber, then the rest; a stable sort keeps the section's own order within each. */
function sortByRisk(rows: DayRow[]): DayRow[] {
  return rows.sort((a, b) => (a.risk ? RISK_RANK[a.risk.level] : 2) - (b.risk ? RISK_RANK[b.risk.level] : 2));
}

/**
 * The coach's day: every open participant of their own caseload and of the caseloads they stand
 * in for today (the viewer's access rule), placed in the first section that applies. Each section
 * puts red participants first, then amber, then the rest, each row with its level and reason. One
 * query: the risk is read from the stored risk state (risk/README.md "Stored state"), not scored
 * per request; a row past its valid_until reads as stored until the risk_state job's next run (every 5 minutes).
 */
export async function coachDay(db: Kysely<Database>, viewer: Viewer, now: DateTime): Promise<CoachDay> {
  const candidates = await listDayCandidates(db, viewer);
  const moment = dayMomentOf(now, viewer.timeZone);
  const sections = Object.fromEntries(DAY_SECTIONS.map((section) => [section, []])) as unknown as Record<DaySection, DayRow[]>;
  let notListed = 0;
  for (const candidate of candidates) {
    const placed = placeOnDay(candidate, moment);
    if (placed) sections[placed.section].push(toDayRow(candidate, viewer, placed.reason));
    else notListed += 1;
  }
  for (const section of DAY_SECTIONS) sortByRisk(sortSection(section, sections[section]));
  return { sections, notListed, caseloadSize: candidates.length };
}

/** What a quick log on /today saved, for its status message: undefined when the viewer may not see it. */
export async function loggedContact(
  db: Kysely<Database>,
  viewer: Viewer,
  contactId: number,
): Promise<(Omit<LoggedContactRow, 'nextContactTime'> & { nextContactTime: string | null }) | undefined> {
  const row = await findLoggedContact(db, viewer, contactId);
  return row ? { ...row, nextContactTime: hoursAndMinutes(row.nextContactTime) } : undefined;
}

/** A call due now as the live page announces it: first name and time only (product.md). */
export interface DueCall {
  id: number;
  firstName: string;
  plannedTime: string;
}

/**
 * What an open /today compares to know that it changed (today-live.js): which participant is in
 * which section, and the planned times. Not the minutes late, which change every minute.
 */
export function daySignature(day: CoachDay): string {
  const layout = DAY_SECTIONS.map(
    (section) =>
      `${section}:${day.sections[section]
        .map(
          (row) =>
            `${row.id}${row.reason.kind === 'callNow' || row.reason.kind === 'dueToday' ? `@${row.reason.plannedTime ?? ''}` : ''}`,
        )
        .join(',')}`,
  ).join('|');
  return createHash('sha256').update(layout).digest('base64url').slice(0, 16);
}

export function dueCalls(day: CoachDay): DueCall[] {
  return day.sections.callNow.map((row) => ({
    id: row.id,
    firstName: row.firstName,
    plannedTime: row.reason.kind === 'callNow' ? row.reason.plannedTime : '',
  }));
}
