import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import { recordAuditEvent } from '../platform/audit/service';
import {
  CONTACT_CHANNELS,
  CONTACT_OUTCOMES,
  type ContactChannel,
  type ContactCounterpart,
  type ContactOutcome,
  type Database,
  type GoalStatus,
  type LifeDomain,
} from '../db/schema';
import type { Viewer } from '../lib/viewer';
import { coachingHoursOf } from '../trajectories/service';
import {
  ensureNarrativeRow,
  findNarrative,
  findVisibleReportSubject,
  listGoalsServed,
  listGoalsUpTo,
  listLogbook,
  listNarrativePeriods,
  listPlacementHours,
  listPlacementsOverlapping,
  sumMinutes,
  updateNarrativeIfVersion,
  type InstantRange,
  type NarrativeRow,
  type ReportPlacementRow,
  type ReportSubjectRow,
} from './queries';
import { REVERSED_PERIOD, ReportPeriodQuery, type NarrativeForm } from './schemas';

export type ReportSubject = ReportSubjectRow;
export type { NarrativeRow } from './queries';

/** Calendar days (ISO dates, organisation's zone), both included. */
export interface ReportPeriod {
  from: string;
  to: string;
}

export interface ReportRef {
  participantId: number;
  trajectoryId: number;
}

/** The trajectory of a report with its participant, when the viewer may see them; undefined answers 404. */
export async function findReportSubject(
  db: Kysely<Database>,
  viewer: Viewer,
  ref: ReportRef,
): Promise<ReportSubject | undefined> {
  return findVisibleReportSubject(db, viewer, ref.participantId, ref.trajectoryId);
}

/**
 * The period a report covers when none was asked for: the whole trajectory, up to its end or today.
 * A trajectory that starts after today gets its first day only rather than a reversed period.
 */
export function defaultPeriodOf(subject: Pick<ReportSubject, 'startDate' | 'actualEndDate'>, today: string): ReportPeriod {
  const to = subject.actualEndDate ?? today;
  return { from: subject.startDate, to: to < subject.startDate ? subject.startDate : to };
}

export type PeriodChoice =
  | { ok: true; period: ReportPeriod }
  | { ok: false; errors: Partial<Record<'from' | 'to', string>>; values: Record<'from' | 'to', string> };

/**
 * The report period from ?from=&to=: a missing end takes the default of the trajectory, an
 * unreadable date or a start after the end is refused with the messages for the period form, and
 * what was typed is handed back to show again.
 */
export function choosePeriod(query: unknown, subject: ReportSubject, today: string): PeriodChoice {
  const raw = (query ?? {}) as Record<string, unknown>;
  const values = {
    from: typeof raw.from === 'string' ? raw.from : '',
    to: typeof raw.to === 'string' ? raw.to : '',
  };
  const parsed = ReportPeriodQuery.safeParse({ from: raw.from, to: raw.to });
  if (!parsed.success) {
    const errors: Partial<Record<'from' | 'to', string>> = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if (field === 'from' || field === 'to') errors[field] ??= issue.message;
    }
    return { ok: false, errors, values };
  }
  const defaults = defaultPeriodOf(subject, today);
  const period = { from: parsed.data.from ?? defaults.from, to: parsed.data.to ?? defaults.to };
  if (period.from > period.to) return { ok: false, errors: { to: REVERSED_PERIOD }, values };
  return { ok: true, period };
}

/** Hours as the report shows them: rounded to hundredths, from whole minutes. */
export interface ReportHours {
  minutesInPeriod: number;
  hoursInPeriod: number;
  /** From the trajectory's start up to the end of the period. */
  minutesTotal: number;
  hoursTotal: number;
  grantedHours: number;
  /** min(total used, granted): the commissioner pays no more than granted. */
  billableHours: number;
  overGranted: boolean;
}

export interface LogbookEntry {
  id: number;
  occurredAt: Date;
  durationMinutes: number;
  channel: ContactChannel;
  counterpart: ContactCounterpart;
  employerName: string | null;
  outcome: ContactOutcome;
  goalTitles: string[];
}

export interface WellbeingCheck {
  occurredAt: Date;
  mood: number | null;
  rhythm: number | null;
  social: number | null;
  activity: number | null;
}

export interface ReportPlacement extends ReportPlacementRow {
  hours: Array<{ effectiveFrom: string; hoursPerWeek: number }>;
}

export interface ReportGoal {
  id: number;
  title: string;
  lifeDomain: LifeDomain;
  targetDate: string | null;
  /** The status at the end of the period. */
  status: GoalStatus;
  achievedOn: string | null;
  latestNote: string | null;
  latestAt: Date | null;
}

export interface TrajectoryReport {
  subject: ReportSubject;
  period: ReportPeriod;
  /** The days of the period within the trajectory's dates (what the logbook and hours count); null when none. */
  countedDays: ReportPeriod | null;
  /** Whether some of the period lies outside the trajectory's dates. */
  periodExceedsTrajectory: boolean;
  placements: ReportPlacement[];
  hours: ReportHours;
  contactsByChannel: Array<{ channel: ContactChannel; count: number }>;
  contactsByOutcome: Array<{ outcome: ContactOutcome; count: number }>;
  logbook: LogbookEntry[];
  goals: ReportGoal[];
  wellbeing: WellbeingCheck[];
  narrative: NarrativeRow | null;
  /** Other periods of this trajectory with a saved narrative, so a narrative is found again. */
  otherNarrativePeriods: ReportPeriod[];
}

function dayStart(day: string, timeZone: string): Date {
  return DateTime.fromISO(day, { zone: timeZone }).startOf('day').toJSDate();
}

/** The instants of calendar days from..to in the zone: a 23- or 25-hour day is covered exactly. */
function instantsOf(days: ReportPeriod, timeZone: string): InstantRange {
  return {
    start: dayStart(days.from, timeZone),
    before: dayStart(DateTime.fromISO(days.to).plus({ days: 1 }).toISODate()!, timeZone),
  };
}

function laterOf(a: string, b: string): string {
  return a > b ? a : b;
}

function earlierOf(a: string, b: string | null): string {
  return b !== null && b < a ? b : a;
}

const hoursOf = (minutes: number) => coachingHoursOf(minutes, 0).hoursUsed;

function hoursFor(minutesInPeriod: number, minutesTotal: number, grantedHoursText: string): ReportHours {
  const grantedMinutes = Math.round(Number(grantedHoursText) * 60);
  const billableMinutes = Math.min(minutesTotal, grantedMinutes);
  return {
    minutesInPeriod,
    hoursInPeriod: hoursOf(minutesInPeriod),
    minutesTotal,
    hoursTotal: hoursOf(minutesTotal),
    grantedHours: Number(grantedHoursText),
    billableHours: hoursOf(billableMinutes),
    overGranted: minutesTotal > grantedMinutes,
  };
}

const OPEN_STATUSES: readonly GoalStatus[] = ['open', 'in_progress'];

/** Counts per value, in the order of `values`, leaving out the values that did not occur. */
function countBy<T extends string>(values: readonly T[], items: readonly T[]): Array<{ value: T; count: number }> {
  return values.map((value) => ({ value, count: items.filter((item) => item === value).length })).filter((row) => row.count > 0);
}

/**
 * Everything a trajectory report shows, for one period, in a handful of set-based queries. Only
 * the trajectory's own contact moments within the period count (the rule of its coaching hours: a
 * contact belongs to one trajectory, which lies within that trajectory's dates), and nothing free-text that was not written for the commissioner
 * (contact summaries, addenda, pause reasons, hours notes) is read at all.
 */
async function assembleReport(
  db: Kysely<Database>,
  subject: ReportSubject,
  period: ReportPeriod,
  timeZone: string,
): Promise<TrajectoryReport> {
  const countedFrom = laterOf(period.from, subject.startDate);
  const countedTo = earlierOf(period.to, subject.actualEndDate);
  const countedDays = countedFrom <= countedTo ? { from: countedFrom, to: countedTo } : null;
  const totalTo = earlierOf(period.to, subject.actualEndDate);
  const totalDays = subject.startDate <= totalTo ? { from: subject.startDate, to: totalTo } : null;
  const { participantId, trajectoryId } = subject;
  const periodInstants = instantsOf(period, timeZone);

  const [logbookRows, goalsServed, minutesTotal, placementRows, goalRows, narrative, narrativePeriods] = await Promise.all([
    countedDays ? listLogbook(db, trajectoryId, instantsOf(countedDays, timeZone)) : [],
    countedDays ? listGoalsServed(db, trajectoryId, instantsOf(countedDays, timeZone)) : [],
    totalDays ? sumMinutes(db, trajectoryId, instantsOf(totalDays, timeZone)) : 0,
    listPlacementsOverlapping(db, participantId, period.from, period.to),
    listGoalsUpTo(db, participantId, periodInstants),
    findNarrative(db, subject.trajectoryId, period.from, period.to),
    listNarrativePeriods(db, subject.trajectoryId),
  ]);
  const hoursRows = await listPlacementHours(
    db,
    placementRows.map((placement) => placement.id),
    period.to,
  );

  const titlesByContact = new Map<number, string[]>();
  for (const { contactMomentId, title } of goalsServed) {
    titlesByContact.set(contactMomentId, [...(titlesByContact.get(contactMomentId) ?? []), title]);
  }
  const logbook: LogbookEntry[] = logbookRows.map((row) => ({
    id: row.id,
    occurredAt: row.occurredAt,
    durationMinutes: row.durationMinutes,
    channel: row.channel,
    counterpart: row.counterpart,
    employerName: row.employerName,
    outcome: row.outcome,
    goalTitles: titlesByContact.get(row.id) ?? [],
  }));
  const minutesInPeriod = logbookRows.reduce((sum, row) => sum + row.durationMinutes, 0);

  const wellbeing = logbookRows
    .filter((row) => [row.wellbeingMood, row.wellbeingRhythm, row.wellbeingSocial, row.wellbeingActivity].some((v) => v !== null))
    .map((row) => ({
      occurredAt: row.occurredAt,
      mood: row.wellbeingMood,
      rhythm: row.wellbeingRhythm,
      social: row.wellbeingSocial,
      activity: row.wellbeingActivity,
    }));

  const goals: ReportGoal[] = [];
  for (const row of goalRows) {
    // Goals start open and change status only with a progress note, so the newest note before the
    // end of the period tells the status then. A goal without any note (stored directly) has its
    // stored status, except that one achieved after the period was still open in it.
    const achievedAfterPeriod = row.status === 'achieved' && row.achievedOn !== null && row.achievedOn > period.to;
    const status: GoalStatus = row.latestStatus ?? (row.hasProgress || achievedAfterPeriod ? 'open' : row.status);
    const achievedInPeriod =
      row.status === 'achieved' && row.achievedOn !== null && row.achievedOn >= period.from && row.achievedOn <= period.to;
    if (!OPEN_STATUSES.includes(status) && !row.finishedInPeriod && !achievedInPeriod) continue;
    goals.push({
      id: row.id,
      title: row.title,
      lifeDomain: row.lifeDomain,
      targetDate: row.targetDate,
      status,
      achievedOn: status === 'achieved' && row.achievedOn !== null && row.achievedOn <= period.to ? row.achievedOn : null,
      latestNote: row.latestNote,
      latestAt: row.latestAt,
    });
  }

  const hoursByPlacement = new Map<number, ReportPlacement['hours']>();
  for (const row of hoursRows) {
    hoursByPlacement.set(row.placementId, [
      ...(hoursByPlacement.get(row.placementId) ?? []),
      { effectiveFrom: row.effectiveFrom, hoursPerWeek: Number(row.hoursPerWeek) },
    ]);
  }

  return {
    subject,
    period,
    countedDays,
    periodExceedsTrajectory: countedDays === null || countedDays.from !== period.from || countedDays.to !== period.to,
    placements: placementRows.map((row) => ({ ...row, hours: hoursByPlacement.get(row.id) ?? [] })),
    hours: hoursFor(minutesInPeriod, minutesTotal, subject.grantedHours),
    contactsByChannel: countBy(
      CONTACT_CHANNELS,
      logbook.map((entry) => entry.channel),
    ).map(({ value, count }) => ({ channel: value, count })),
    contactsByOutcome: countBy(
      CONTACT_OUTCOMES,
      logbook.map((entry) => entry.outcome),
    ).map(({ value, count }) => ({ outcome: value, count })),
    logbook,
    goals,
    wellbeing,
    narrative: narrative ?? null,
    otherNarrativePeriods: narrativePeriods.filter((other) => other.from !== period.from || other.to !== period.to),
  };
}

export type ReportUse = { action: 'view' } | { action: 'export'; format: 'pdf' };

/**
 * The report of a trajectory for a period, when the viewer may see its participant, and the audit
 * event of this view or download in the same transaction. Undefined answers 404 and records nothing.
 */
export async function produceTrajectoryReport(
  db: Kysely<Database>,
  viewer: Viewer,
  ref: ReportRef,
  period: ReportPeriod,
  use: ReportUse,
  timeZone: string,
): Promise<TrajectoryReport | undefined> {
  return db.transaction().execute(async (trx) => {
    const subject = await findVisibleReportSubject(trx, viewer, ref.participantId, ref.trajectoryId);
    if (!subject) return undefined;
    const report = await assembleReport(trx, subject, period, timeZone);
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: use.action,
      entityType: 'trajectory_report',
      entityId: subject.trajectoryId,
      participantId: subject.participantId,
      details:
        use.action === 'export' ? { from: period.from, to: period.to, format: use.format } : { from: period.from, to: period.to },
    });
    return report;
  });
}

export type NarrativeSaveOutcome =
  | { kind: 'saved' }
  | { kind: 'conflict'; current: { progress: string; nextSteps: string; version: number } }
  | { kind: 'notFound' };

/**
 * Saves the coach's narrative of one period, from a form loaded at `form.version` (0: none saved
 * yet). Allowed to whoever may see the participant, also once the trajectory or participant is
 * closed: the final report is written then. The audit event names the period, never the text.
 */
export async function saveNarrative(
  db: Kysely<Database>,
  viewer: Viewer,
  ref: ReportRef,
  form: NarrativeForm,
  now: Date,
): Promise<NarrativeSaveOutcome> {
  return db.transaction().execute(async (trx): Promise<NarrativeSaveOutcome> => {
    const subject = await findVisibleReportSubject(trx, viewer, ref.participantId, ref.trajectoryId);
    if (!subject) return { kind: 'notFound' };
    const key = { trajectoryId: subject.trajectoryId, from: form.from, to: form.to };
    if (form.version === 0) await ensureNarrativeRow(trx, { ...key, userId: viewer.userId, now });
    const savedId = await updateNarrativeIfVersion(trx, {
      ...key,
      expectedVersion: form.version,
      progress: form.progress,
      nextSteps: form.nextSteps,
      userId: viewer.userId,
      now,
    });
    if (savedId === null) {
      const current = await findNarrative(trx, subject.trajectoryId, form.from, form.to);
      // A double click sends the same words twice: the second finds them saved already.
      if (current && current.progress === form.progress && current.nextSteps === form.nextSteps) return { kind: 'saved' };
      return {
        kind: 'conflict',
        current: current
          ? { progress: current.progress, nextSteps: current.nextSteps, version: current.version }
          : { progress: '', nextSteps: '', version: 0 },
      };
    }
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'update',
      entityType: 'trajectory_report',
      entityId: subject.trajectoryId,
      participantId: subject.participantId,
      details: { from: form.from, to: form.to },
    });
    return { kind: 'saved' };
  });
}
