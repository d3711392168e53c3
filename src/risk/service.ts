import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import type { Database } from '../db/schema';
import { recordAuditEvent } from '../platform/audit/service';
import type { Formatters } from '../lib/format';
import type { Translate } from '../platform/i18n';
import type { Viewer } from '../lib/viewer';
import {
  RISK_SETTING_FIELDS,
  filterVisibleParticipantIds,
  type PlannedEndFactsRow,
  findRiskSettings,
  listContactFacts,
  listLatestAcknowledgements,
  listPlacementFacts,
  updateRiskSettingsIfVersion,
  type ContactFactsRow,
  type PlacementFactsRow,
  type RiskSettings,
  type RiskSettingsRecord,
} from './queries';
import type { RiskSettingsForm } from './schemas';
import { insertRiskRecompute } from './state-queries';

export type { RiskSettings, RiskSettingsRecord } from './queries';
export { RISK_SETTING_FIELDS } from './queries';

// The risk engine of product.md's "Drifting into isolation". See README.md for every signal in
// plain words. The figures come from a fixed number of queries (queries.ts); the rules below are
// pure functions of those figures, the settings and "today", so every boundary can be tested.

export const RISK_SIGNALS = [
  'last_reached',
  'unreached_in_a_row',
  'follow_up_overdue',
  'no_active_placement',
  'hours_drop',
  'wellbeing',
  'end_of_trajectory',
] as const;
export type RiskSignal = (typeof RISK_SIGNALS)[number];
export const RISK_LEVELS = ['none', 'amber', 'red'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export type FlagLevel = Exclude<RiskLevel, 'none'>;

/** product.md's defaults; the migration stores the same values. */
export const DEFAULT_RISK_SETTINGS: Readonly<RiskSettings> = Object.freeze({
  lastReachedAmberDays: 14,
  lastReachedRedDays: 28,
  unreachedAmberAttempts: 2,
  unreachedRedAttempts: 3,
  overdueAmberDays: 2,
  overdueRedDays: 7,
  noPlacementRedDays: 14,
  hoursLookbackWeeks: 8,
  hoursDropAmberPercent: 50,
  hoursDropRedPercent: 100,
  wellbeingLowScore: 2,
  wellbeingDropPoints: 2,
  wellbeingDropChecks: 3,
  endWarningDays: 30,
});

export interface LastReachedFigures {
  days: number;
  /** null: never reached; `days` then counts from the start of the trajectory. */
  reachedOn: string | null;
  trajectoryStartDate: string;
}
export interface UnreachedFigures {
  attempts: number;
  lastAttemptOn: string | null;
}
export interface OverdueFigures {
  plannedOn: string;
  daysOverdue: number;
}
export interface NoPlacementFigures {
  /** Placements that are paused (none active): what the coach may want to pick up. */
  paused: Array<{ employerName: string; pausedSince: string | null }>;
  daysSinceReached: number;
  reachedOn: string | null;
}
export interface HoursDropFigures {
  hoursThen: number;
  hoursNow: number;
  weeks: number;
  dropPercent: number;
}
export interface WellbeingFigures {
  checkedOn: string;
  social: number | null;
  rhythm: number | null;
  /** The highest score over the checks compared, when the latest is that many points below it. */
  socialDropFrom: number | null;
  rhythmDropFrom: number | null;
  checks: number;
}

export interface PlannedEndFigures {
  /** What fires, nearest planned end first: each with its own level. */
  ends: Array<{
    kind: 'trajectory' | 'placement';
    /** The commissioner of a trajectory, the employer of a placement. */
    name: string;
    plannedEnd: string;
    /** Days from today to the planned end: 0 on the day itself, negative once past. */
    daysLeft: number;
    level: FlagLevel;
  }>;
}

export type RiskReason =
  | { signal: 'last_reached'; level: FlagLevel; figures: LastReachedFigures }
  | { signal: 'unreached_in_a_row'; level: FlagLevel; figures: UnreachedFigures }
  | { signal: 'follow_up_overdue'; level: FlagLevel; figures: OverdueFigures }
  | { signal: 'no_active_placement'; level: FlagLevel; figures: NoPlacementFigures }
  | { signal: 'hours_drop'; level: FlagLevel; figures: HoursDropFigures }
  | { signal: 'wellbeing'; level: FlagLevel; figures: WellbeingFigures }
  | { signal: 'end_of_trajectory'; level: FlagLevel; figures: PlannedEndFigures };

export interface RiskAssessment {
  participantId: number;
  level: RiskLevel;
  /** In the order of RISK_SIGNALS; empty when the level is none. */
  reasons: RiskReason[];
}

const LEVEL_RANK: Record<RiskLevel, number> = { none: 0, amber: 1, red: 2 };

export function highestLevel(levels: readonly RiskLevel[]): RiskLevel {
  return levels.reduce<RiskLevel>((highest, level) => (LEVEL_RANK[level] > LEVEL_RANK[highest] ? level : highest), 'none');
}

function bandOf(value: number, amber: number, red: number): FlagLevel | null {
  if (value >= red) return 'red';
  if (value >= amber) return 'amber';
  return null;
}

const MS_PER_DAY = 86_400_000;
const PLAIN_ISO_DAY = /^([1-9]\d{3})-(\d{2})-(\d{2})$/;

/** A bare 'yyyy-mm-dd' that is a real day as UTC midnight in ms, else null (left to luxon). */
function utcMidnightOf(iso: string): number | null {
  const match = PLAIN_ISO_DAY.exec(iso);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  return check.getUTCMonth() === month - 1 && check.getUTCDate() === day ? ms : null;
}

/** Whole calendar days from one ISO date to another (no clock-change drift: both are dates). */
export function daysBetween(fromIso: string, toIso: string): number {
  // Run twice per participant on every page that shows risk: for bare dates (date columns, always
  // in practice) plain UTC arithmetic gives luxon's answer without building DateTimes and a Duration.
  const fromMs = utcMidnightOf(fromIso);
  const toMs = fromMs === null ? null : utcMidnightOf(toIso);
  if (fromMs !== null && toMs !== null) return Math.round((toMs - fromMs) / MS_PER_DAY);
  const from = DateTime.fromISO(fromIso, { zone: 'utc' });
  const to = DateTime.fromISO(toIso, { zone: 'utc' });
  return Math.round(to.diff(from, 'days').days);
}

const plusDays = (iso: string, days: number) => DateTime.fromISO(iso, { zone: 'utc' }).plus({ days }).toISODate()!;

export interface ParticipantRiskFacts {
  contact: ContactFactsRow;
  placements: PlacementFactsRow[];
}

/** The rules of product.md's signal table, applied to one participant's figures. */
export function evaluateRisk(
  facts: ParticipantRiskFacts,
  today: string,
  settings: RiskSettings,
): { level: RiskLevel; reasons: RiskReason[] } {
  const { contact, placements } = facts;
  const reasons: RiskReason[] = [];
  // Never reached: count from the start of the trajectory, so a new participant is not red on day one.
  const daysSinceReached = daysBetween(contact.reachedOn ?? contact.trajectoryStartDate, today);

  const lastReached = bandOf(daysSinceReached, settings.lastReachedAmberDays, settings.lastReachedRedDays);
  if (lastReached) {
    reasons.push({
      signal: 'last_reached',
      level: lastReached,
      figures: { days: daysSinceReached, reachedOn: contact.reachedOn, trajectoryStartDate: contact.trajectoryStartDate },
    });
  }

  const unreached = bandOf(contact.unreachedCount, settings.unreachedAmberAttempts, settings.unreachedRedAttempts);
  if (unreached) {
    reasons.push({
      signal: 'unreached_in_a_row',
      level: unreached,
      figures: { attempts: contact.unreachedCount, lastAttemptOn: contact.lastUnreachedOn },
    });
  }

  if (contact.nextContactDate !== null) {
    const daysOverdue = daysBetween(contact.nextContactDate, today);
    const overdue = bandOf(daysOverdue, settings.overdueAmberDays, settings.overdueRedDays);
    if (overdue) {
      reasons.push({ signal: 'follow_up_overdue', level: overdue, figures: { plannedOn: contact.nextContactDate, daysOverdue } });
    }
  }

  if (!placements.some((placement) => placement.status === 'active')) {
    reasons.push({
      signal: 'no_active_placement',
      level: daysSinceReached >= settings.noPlacementRedDays ? 'red' : 'amber',
      figures: {
        paused: placements.map((placement) => ({ employerName: placement.employerName, pausedSince: placement.pausedSince })),
        daysSinceReached,
        reachedOn: contact.reachedOn,
      },
    });
  }

  // Hours have one decimal: compare in tenths so 40 → 20 is exactly a 50 % drop.
  const tenthsThen = Math.round(placements.reduce((sum, placement) => sum + placement.hoursThen, 0) * 10);
  const tenthsNow = Math.round(placements.reduce((sum, placement) => sum + placement.hoursNow, 0) * 10);
  if (tenthsThen > 0 && tenthsNow < tenthsThen) {
    const dropTimes100 = (tenthsThen - tenthsNow) * 100;
    const hours =
      dropTimes100 >= settings.hoursDropRedPercent * tenthsThen
        ? 'red'
        : dropTimes100 >= settings.hoursDropAmberPercent * tenthsThen
          ? 'amber'
          : null;
    if (hours) {
      reasons.push({
        signal: 'hours_drop',
        level: hours,
        figures: {
          hoursThen: tenthsThen / 10,
          hoursNow: tenthsNow / 10,
          weeks: settings.hoursLookbackWeeks,
          dropPercent: Math.floor(dropTimes100 / tenthsThen),
        },
      });
    }
  }

  const [latest, ...earlier] = contact.wellbeing.slice(0, settings.wellbeingDropChecks);
  if (latest) {
    const isLow = (score: number | null) => score !== null && score <= settings.wellbeingLowScore;
    const dropFrom = (key: 'social' | 'rhythm'): number | null => {
      const now = latest[key];
      if (now === null) return null;
      const highest = Math.max(now, ...earlier.map((check) => check[key] ?? now));
      return highest - now >= settings.wellbeingDropPoints ? highest : null;
    };
    const socialDropFrom = dropFrom('social');
    const rhythmDropFrom = dropFrom('rhythm');
    const bothLow = isLow(latest.social) && isLow(latest.rhythm);
    const level: FlagLevel | null =
      bothLow || socialDropFrom !== null || rhythmDropFrom !== null
        ? 'red'
        : isLow(latest.social) || isLow(latest.rhythm)
          ? 'amber'
          : null;
    if (level) {
      reasons.push({
        signal: 'wellbeing',
        level,
        figures: {
          checkedOn: latest.on,
          social: latest.social,
          rhythm: latest.rhythm,
          socialDropFrom,
          rhythmDropFrom,
          checks: 1 + earlier.length,
        },
      });
    }
  }

  const ends = plannedEndsFiring(contact.ends, today, settings);
  if (ends.length > 0) {
    reasons.push({
      signal: 'end_of_trajectory',
      level: highestLevel(ends.map((end) => end.level)) as FlagLevel,
      figures: { ends },
    });
  }

  return { level: highestLevel(reasons.map((reason) => reason.level)), reasons };
}

/** The first day of the warning period before a planned end: amber from that day on. */
const warningStartOf = (plannedEnd: string, settings: RiskSettings) => plusDays(plannedEnd, -settings.endWarningDays);

/**
 * Whether something that may follow an open trajectory or placement has been recorded: another
 * trajectory or placement starting, or a handover, on or after the first day of its warning period
 * (README.md "end_of_trajectory" says why those).
 */
function hasNextStep(end: PlannedEndFactsRow, settings: RiskSettings): boolean {
  return end.nextStepOn !== null && end.nextStepOn >= warningStartOf(end.plannedEnd, settings);
}

/**
 * end_of_trajectory per open trajectory or placement with a planned end: red once the planned end
 * has passed (it is still open: no end recorded, not ended), amber from the warning period's first
 * day up to the planned end itself while no next step is recorded.
 */
function plannedEndsFiring(
  ends: readonly PlannedEndFactsRow[],
  today: string,
  settings: RiskSettings,
): PlannedEndFigures['ends'] {
  const firing: PlannedEndFigures['ends'] = [];
  for (const end of ends) {
    const daysLeft = daysBetween(today, end.plannedEnd);
    const level: FlagLevel | null =
      daysLeft < 0 ? 'red' : daysLeft <= settings.endWarningDays && !hasNextStep(end, settings) ? 'amber' : null;
    if (level) firing.push({ kind: end.kind, name: end.name, plannedEnd: end.plannedEnd, daysLeft, level });
  }
  return firing;
}

/** A participant's facts as the stored state keeps them: `contact.trajectoryStartDate` null when not scored. */
export interface RiskStateFacts {
  contact: Omit<ContactFactsRow, 'trajectoryStartDate'> & { trajectoryStartDate: string | null };
  placements: PlacementFactsRow[];
  /** The next day after `today` on which the data answers differently by its dates alone (queries.ts). */
  nextChangeOn: string | null;
}

/**
 * The first day after `today` on which the passing of time alone changes the participant's level,
 * reasons or facts other than the day counts that grow by one a day (see assessmentOn), or null
 * when nothing would: a last-reached or overdue threshold crossed, the no-placement red threshold,
 * a planned end's first amber day and the day after it, and every dated change in the data (nextChangeOn: a trajectory starting or ending, hours the
 * look-back moves past, a placement starting, pausing or ending, a future closing date).
 */
export function validUntil(facts: RiskStateFacts, today: string, settings: RiskSettings): string | null {
  const { contact, placements, nextChangeOn } = facts;
  const days: string[] = nextChangeOn !== null && nextChangeOn > today ? [nextChangeOn] : [];
  const crossings = (from: string, thresholds: number[]) => {
    const elapsed = daysBetween(from, today);
    for (const threshold of thresholds) if (threshold > elapsed) days.push(plusDays(from, threshold));
  };
  if (contact.trajectoryStartDate !== null) {
    const noActivePlacement = !placements.some((placement) => placement.status === 'active');
    crossings(contact.reachedOn ?? contact.trajectoryStartDate, [
      settings.lastReachedAmberDays,
      settings.lastReachedRedDays,
      ...(noActivePlacement ? [settings.noPlacementRedDays] : []),
    ]);
    if (contact.nextContactDate !== null)
      crossings(contact.nextContactDate, [settings.overdueAmberDays, settings.overdueRedDays]);
    // end_of_trajectory: amber from the warning period's first day (unless a next step is
    // recorded, which time does not change), red from the day after the planned end.
    for (const end of contact.ends) {
      const warningStart = warningStartOf(end.plannedEnd, settings);
      if (warningStart > today && !hasNextStep(end, settings)) days.push(warningStart);
      const dayAfter = plusDays(end.plannedEnd, 1);
      if (dayAfter > today) days.push(dayAfter);
    }
  }
  return days.length === 0 ? null : days.reduce((earliest, day) => (day < earliest ? day : earliest));
}

/**
 * A stored assessment of day `scoredOn` as it reads on `today`, for any today before its
 * validUntil: the level and reasons stay, and the day counts that grow by one a day (days since
 * reached, days overdue) move on by the days between.
 */
export function assessmentOn<A extends { level: RiskLevel; reasons: RiskReason[] }>(
  stored: A,
  scoredOn: string,
  today: string,
): A {
  const shift = daysBetween(scoredOn, today);
  if (shift === 0) return stored;
  const reasons = stored.reasons.map((reason): RiskReason => {
    switch (reason.signal) {
      case 'last_reached':
        return { ...reason, figures: { ...reason.figures, days: reason.figures.days + shift } };
      case 'follow_up_overdue':
        return { ...reason, figures: { ...reason.figures, daysOverdue: reason.figures.daysOverdue + shift } };
      case 'no_active_placement':
        return { ...reason, figures: { ...reason.figures, daysSinceReached: reason.figures.daysSinceReached + shift } };
      case 'end_of_trajectory':
        return { ...reason, figures: { ends: reason.figures.ends.map((end) => ({ ...end, daysLeft: end.daysLeft - shift })) } };
      default:
        return reason;
    }
  });
  return { ...stored, reasons };
}

/**
 * The risk of each participant in an active trajectory among `participantIds`, in two queries
 * whatever their number (plus one for the settings when not given and not cached). Participants
 * not in an active trajectory (closed, or no open trajectory that has started) are not scored and
 * are absent from the map. Callers pass ids they already restricted with participantVisibleTo.
 * "Today" is `now` in `timeZone`; nothing here reads the clock.
 */
export async function assessRisk(
  db: Kysely<Database>,
  participantIds: number[],
  now: DateTime,
  timeZone: string,
  settings?: RiskSettings,
): Promise<Map<number, RiskAssessment>> {
  const ids = [...new Set(participantIds)];
  const assessments = new Map<number, RiskAssessment>();
  if (ids.length === 0) return assessments;
  const thresholds = settings ?? (await loadRiskSettings(db));
  const today = now.setZone(timeZone).toISODate()!;
  const comparedWith = DateTime.fromISO(today, { zone: 'utc' }).minus({ weeks: thresholds.hoursLookbackWeeks }).toISODate()!;
  const [contacts, placements] = await Promise.all([
    listContactFacts(db, ids, today, timeZone, thresholds.wellbeingDropChecks),
    listPlacementFacts(db, ids, today, comparedWith),
  ]);
  const placementsOf = new Map<number, PlacementFactsRow[]>();
  for (const placement of placements) {
    const list = placementsOf.get(placement.participantId) ?? [];
    list.push(placement);
    placementsOf.set(placement.participantId, list);
  }
  for (const contact of contacts) {
    const outcome = evaluateRisk({ contact, placements: placementsOf.get(contact.participantId) ?? [] }, today, thresholds);
    assessments.set(contact.participantId, { participantId: contact.participantId, ...outcome });
  }
  return assessments;
}

// ---------------------------------------------------------------------------------------------
// Settings

/**
 * How long a process trusts its cached thresholds. A save invalidates the cache of the process
 * that saved; other app processes pick the change up within this time.
 */
export const RISK_SETTINGS_CACHE_MS = 30_000;

// Per database handle, so tests (and a second app instance) never share a cache by accident.
const settingsCache = new WeakMap<object, { settings: RiskSettings; loadedAt: number }>();

/** A monotonic timer for the cache only: cache age is not business time, so the app clock is not asked. */
const monotonicMs = () => performance.now();

function settingsOf(record: RiskSettingsRecord): RiskSettings {
  return Object.fromEntries(RISK_SETTING_FIELDS.map((field) => [field, record[field]])) as unknown as RiskSettings;
}

/** The thresholds in force (product.md's defaults if the row is missing), cached for RISK_SETTINGS_CACHE_MS. */
export async function loadRiskSettings(db: Kysely<Database>): Promise<RiskSettings> {
  const cached = settingsCache.get(db);
  if (cached && monotonicMs() - cached.loadedAt < RISK_SETTINGS_CACHE_MS) return cached.settings;
  const record = await findRiskSettings(db);
  const settings = record ? settingsOf(record) : { ...DEFAULT_RISK_SETTINGS };
  settingsCache.set(db, { settings, loadedAt: monotonicMs() });
  return settings;
}

export function invalidateRiskSettingsCache(db: Kysely<Database>): void {
  settingsCache.delete(db);
}

/** The stored row with its version and who changed it last, for the settings page. */
export async function findRiskSettingsRecord(db: Kysely<Database>): Promise<RiskSettingsRecord> {
  const record = await findRiskSettings(db);
  if (!record) throw new Error('risk_settings has no row: run the migrations');
  return record;
}

export type RiskSettingsSaveOutcome = { kind: 'saved' } | { kind: 'conflict'; current: RiskSettingsRecord };

/** Saves the thresholds against the version the form was loaded with, audited with old and new values. */
export async function saveRiskSettings(
  db: Kysely<Database>,
  viewer: Pick<Viewer, 'userId'>,
  form: RiskSettingsForm,
  now: Date,
): Promise<RiskSettingsSaveOutcome> {
  const { version, ...settings } = form;
  const outcome = await db.transaction().execute(async (trx): Promise<RiskSettingsSaveOutcome> => {
    const before = await findRiskSettings(trx);
    if (!before) throw new Error('risk_settings has no row: run the migrations');
    if (!(await updateRiskSettingsIfVersion(trx, version, settings, viewer.userId, now))) {
      return { kind: 'conflict', current: before };
    }
    const changed = RISK_SETTING_FIELDS.filter((field) => before[field] !== settings[field]);
    // Every stored risk state is now of older settings: its background recompute starts with this
    // save (state.ts saveRiskSettingsAndRecompute), recorded here so its progress is known at once.
    await insertRiskRecompute(trx, version + 1, now);
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'update',
      entityType: 'risk_settings',
      entityId: 1,
      details: {
        changed,
        old: Object.fromEntries(changed.map((field) => [field, before[field]])),
        new: Object.fromEntries(changed.map((field) => [field, settings[field]])),
      },
    });
    return { kind: 'saved' };
  });
  if (outcome.kind === 'saved') invalidateRiskSettingsCache(db);
  return outcome;
}

// ---------------------------------------------------------------------------------------------
// Plain words

type DescribeFormatters = Pick<Formatters, 'date' | 'number'>;

const hoursText = (fmt: DescribeFormatters, hours: number) => fmt.number(hours, Number.isInteger(hours) ? 0 : 1);

/** One reason in plain words with its figures, in the translator's language. */
export function describeReason(reason: RiskReason, t: Translate, fmt: DescribeFormatters): string {
  switch (reason.signal) {
    case 'last_reached': {
      const { days, reachedOn, trajectoryStartDate } = reason.figures;
      return reachedOn === null
        ? t('risk.reasons.neverReached', { count: days, date: fmt.date(trajectoryStartDate) })
        : t('risk.reasons.lastReached', { count: days, date: fmt.date(reachedOn) });
    }
    case 'unreached_in_a_row':
      return t('risk.reasons.unreachedInARow', { count: reason.figures.attempts });
    case 'follow_up_overdue':
      return t('risk.reasons.followUpOverdue', { count: reason.figures.daysOverdue, date: fmt.date(reason.figures.plannedOn) });
    case 'no_active_placement': {
      const { paused, daysSinceReached } = reason.figures;
      const parts = [
        paused.length === 0
          ? t('risk.reasons.noPlacement')
          : paused
              .map((placement) =>
                placement.pausedSince
                  ? t('risk.reasons.placementPausedSince', {
                      employer: placement.employerName,
                      date: fmt.date(placement.pausedSince),
                    })
                  : t('risk.reasons.placementPaused', { employer: placement.employerName }),
              )
              .join('; '),
      ];
      if (reason.level === 'red') parts.push(t('risk.reasons.andNotReached', { count: daysSinceReached }));
      return parts.join(' ');
    }
    case 'hours_drop':
      return t('risk.reasons.hoursDrop', {
        from: hoursText(fmt, reason.figures.hoursThen),
        to: hoursText(fmt, reason.figures.hoursNow),
        count: reason.figures.weeks,
      });
    case 'wellbeing': {
      const { checkedOn, social, rhythm, socialDropFrom, rhythmDropFrom } = reason.figures;
      const parts = [
        t('risk.reasons.wellbeingLatest', {
          date: fmt.date(checkedOn),
          social: social ?? '—',
          rhythm: rhythm ?? '—',
        }),
      ];
      if (socialDropFrom !== null) parts.push(t('risk.reasons.socialDropped', { from: socialDropFrom, to: social }));
      if (rhythmDropFrom !== null) parts.push(t('risk.reasons.rhythmDropped', { from: rhythmDropFrom, to: rhythm }));
      return parts.join('; ');
    }
    case 'end_of_trajectory':
      return reason.figures.ends
        .map((end) => {
          const values = { name: end.name, date: fmt.date(end.plannedEnd) };
          if (end.daysLeft < 0) return t(`risk.reasons.${end.kind}EndPassed`, { ...values, count: -end.daysLeft });
          if (end.daysLeft === 0) return t(`risk.reasons.${end.kind}EndsToday`, values);
          return t(`risk.reasons.${end.kind}EndsIn`, { ...values, count: end.daysLeft });
        })
        .join('; ');
  }
}

// ---------------------------------------------------------------------------------------------
// Acknowledgements: a coach has seen a flag, says what they do about it, and may snooze it.

/** How far ahead a snooze may run. */
export const MAX_SNOOZE_DAYS = 90;

export interface RiskAcknowledgement {
  /** Display name of who acknowledged. */
  by: string;
  at: Date;
  note: string;
  snoozeUntil: string | null;
  /**
   * Whether it still covers the flag: it is the latest, its snooze (if any) has not ended, and no
   * signal has appeared or risen since (see acknowledgementCovers).
   */
  active: boolean;
}

export interface ParticipantRisk {
  assessment: RiskAssessment;
  acknowledgement: RiskAcknowledgement | null;
  /** When the assessment was computed (the `now` passed in). */
  computedAt: Date;
}

/** The "signal:level" pairs of an assessment, as stored in risk_acknowledgements.flagged. */
export function flaggedPairs(assessment: Pick<RiskAssessment, 'reasons'>): string[] {
  return assessment.reasons.map((reason) => `${reason.signal}:${reason.level}`);
}

/**
 * Whether an acknowledgement's flagged pairs still cover the current reasons: every current signal
 * was flagged then at the same or a higher level. A new signal or a higher level is news, so the
 * flag comes back; a signal that eased (red → amber) or disappeared is not.
 */
export function acknowledgementCovers(flagged: readonly string[], assessment: Pick<RiskAssessment, 'reasons'>): boolean {
  const flaggedLevel = new Map<string, RiskLevel>();
  for (const pair of flagged) {
    const [signal, level] = pair.split(':');
    if (!signal || !level || !(RISK_LEVELS as readonly string[]).includes(level)) continue;
    flaggedLevel.set(signal, highestLevel([flaggedLevel.get(signal) ?? 'none', level as RiskLevel]));
  }
  return assessment.reasons.every((reason) => {
    const then = flaggedLevel.get(reason.signal);
    return then !== undefined && LEVEL_RANK[then] >= LEVEL_RANK[reason.level];
  });
}

/**
 * The risk of each scored participant among `participantIds` with their latest acknowledgement,
 * in a fixed number of queries whatever their number (assessRisk's plus one). Callers pass ids
 * they already restricted with participantVisibleTo. Participants not scored are absent.
 */
export async function riskForParticipants(
  db: Kysely<Database>,
  participantIds: number[],
  now: DateTime,
  timeZone: string,
  settings?: RiskSettings,
): Promise<Map<number, ParticipantRisk>> {
  const ids = [...new Set(participantIds)];
  const result = new Map<number, ParticipantRisk>();
  if (ids.length === 0) return result;
  const [assessments, acknowledgements] = await Promise.all([
    assessRisk(db, ids, now, timeZone, settings),
    listLatestAcknowledgements(db, ids),
  ]);
  const today = now.setZone(timeZone).toISODate()!;
  const latestOf = new Map(acknowledgements.map((row) => [row.participantId, row]));
  for (const [participantId, assessment] of assessments) {
    const latest = latestOf.get(participantId);
    result.set(participantId, {
      assessment,
      computedAt: now.toJSDate(),
      acknowledgement: latest
        ? {
            by: latest.byName,
            at: latest.at,
            note: latest.note,
            snoozeUntil: latest.snoozeUntil,
            active:
              (latest.snoozeUntil === null || today <= latest.snoozeUntil) && acknowledgementCovers(latest.flagged, assessment),
          }
        : null,
    });
  }
  return result;
}

/** Whether a participant's risk shows as acknowledged: flagged, with an acknowledgement that covers it. */
export function isAcknowledged(risk: ParticipantRisk | undefined): boolean {
  return risk !== undefined && risk.assessment.level !== 'none' && risk.acknowledgement?.active === true;
}

/** What views/risk/_panel.ejs shows: the risk, and describeReason for putting reasons in words. */
export interface RiskPanel extends ParticipantRisk {
  describeReason: typeof describeReason;
}

/**
 * The risk panel of one participant's profile: undefined when the viewer may not see them or they
 * are not scored (no active trajectory).
 */
export async function riskPanelFor(
  db: Kysely<Database>,
  viewer: Viewer,
  participantId: number,
  now: DateTime,
  timeZone: string,
): Promise<RiskPanel | undefined> {
  const visible = await filterVisibleParticipantIds(db, viewer, [participantId]);
  if (visible.length === 0) return undefined;
  const risk = (await riskForParticipants(db, visible, now, timeZone)).get(participantId);
  return risk ? { ...risk, describeReason } : undefined;
}
