import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import type { Database } from '../db/schema';
import type { Viewer } from '../lib/viewer';
import { pageInfo, type Page, type PageInfo } from '../lib/pagination';
import {
  listCoachFiguresPage,
  listCoachesInView,
  listOrganisationSnapshotCounts,
  listSnapshotCounts,
  listSnapshotDays,
  listTeams,
  findCaseloadThresholds,
  updateCaseloadThresholdsIfVersion,
  type CaseloadThresholdsRecord,
  type CoachInView,
} from './queries';
import type { CaseloadQuery, CaseloadThresholdsForm } from './schemas';
import { recordAuditEvent } from '../platform/audit/service';

export type { CaseloadThresholdsRecord } from './queries';

// Caseload health per coach and team (/dashboard/caseloads): the figures a manager needs to see
// which coach's caseload needs help. Every figure is over the coach's active caseload — the
// participants the risk engine scores (not closed, open trajectory that has started), read from the
// stored risk state (risk/README.md "Stored state") in one grouped query over the teams the page
// shows: the page costs the same for ten coaches or a thousand, and never runs the engine per request.
export const TREND_WEEKS = 12;

export interface CaseloadFigures {
  active: number;
  reached14: number;
  /** Share of the active caseload, 0–100; null without an active caseload. */
  reachedPercent: number | null;
  red: number;
  amber: number;
  overdue: number;
  contacts7: number;
  contacts30: number;
  goalsAchieved90: number;
  withActivePlacement: number;
  placementPercent: number | null;
}

export interface CoachRow extends CaseloadFigures {
  coachId: number;
  coach: string;
  /** Which of the coach's figures cross the attention thresholds (admin settings). */
  attention: Attention;
}

export interface Attention {
  reached: boolean;
  red: boolean;
  overdue: boolean;
}

export type Thresholds = Pick<CaseloadThresholdsRecord, 'reachedMinPercent' | 'redMax' | 'overdueMax'>;

/**
 * Where a coach's caseload needs attention: reached in 14 days below the minimum share, more at red
 * or more follow-ups overdue than allowed. An empty caseload has no share, so it is never "below".
 */
export function attentionOf(figures: CaseloadFigures, thresholds: Thresholds): Attention {
  return {
    reached: figures.reachedPercent !== null && figures.reachedPercent < thresholds.reachedMinPercent,
    red: figures.red > thresholds.redMax,
    overdue: figures.overdue > thresholds.overdueMax,
  };
}

export interface TeamGroup {
  teamId: number | null;
  teamName: string | null;
  coaches: CoachRow[];
  totals: CaseloadFigures;
}

export interface TrendPoint {
  date: string;
  red: number;
  amber: number;
}

export interface CaseloadOverview {
  /** The page's coaches grouped by team, each team with its totals over all its coaches in view. */
  teams: TeamGroup[];
  /** Every coach in view, on all pages (the trend covers them all). */
  coachesInView: number;
  pagination: PageInfo;
  trend: TrendPoint[];
  /**
   * Whose red and amber the trend counts: the coaches in view (a team), or the whole organisation
   * (an administrator without a team filter: every participant's snapshot, also those of a coach
   * who has since left).
   */
  trendScope: TrendScope;
  teamOptions: Array<{ id: number; name: string }>;
  thresholds: Thresholds;
}

export type TrendScope = 'coaches' | 'organisation';

function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part * 1000) / whole) / 10;
}

function withShares(counts: Omit<CaseloadFigures, 'reachedPercent' | 'placementPercent'>): CaseloadFigures {
  return {
    ...counts,
    reachedPercent: percent(counts.reached14, counts.active),
    placementPercent: percent(counts.withActivePlacement, counts.active),
  };
}

/** The latest snapshot date in each of the last TREND_WEEKS weeks (ending today), plus the latest. */
export function pickTrendPoints<Point extends { date: string }>(counts: Point[], today: string): Point[] {
  const todayDate = DateTime.fromISO(today, { zone: 'utc' });
  const chosen = new Map<string, Point>();
  for (let week = 0; week < TREND_WEEKS; week += 1) {
    const end = todayDate.minus({ weeks: week }).toISODate()!;
    const start = todayDate.minus({ weeks: week + 1 }).toISODate()!;
    const inWeek = counts.filter((point) => point.date > start && point.date <= end);
    const latest = inWeek[inWeek.length - 1];
    if (latest) chosen.set(latest.date, latest);
  }
  const latest = counts[counts.length - 1];
  if (latest) chosen.set(latest.date, latest);
  return [...chosen.values()].sort((a, b) => a.date.localeCompare(b.date));
}

/**
 * The coaches whose figures a page needs, from every coach in view in the page's team order: all
 * coaches of each team that has a coach at one of the page's positions (the team totals sum them
 * all), and the page's offset counted from the first of them. Teams come first in the order, so a
 * page's teams follow from positions alone, whatever the column the coaches sort on within a team.
 */
export function pageTeams(coaches: CoachInView[], page: Page): { ids: number[]; offset: number } {
  const teamKey = (coach: CoachInView) => coach.teamId ?? 'none';
  const onPage = new Set(coaches.slice(page.offset, page.offset + page.limit).map(teamKey));
  const first = coaches.findIndex((coach) => onPage.has(teamKey(coach)));
  if (first === -1) return { ids: [], offset: 0 };
  return {
    ids: coaches.filter((coach) => onPage.has(teamKey(coach))).map((coach) => coach.id),
    offset: page.offset - first,
  };
}

export async function caseloadOverview(
  db: Kysely<Database>,
  viewer: Viewer,
  query: CaseloadQuery,
  page: Page,
  now: DateTime,
  timeZone: string,
): Promise<CaseloadOverview> {
  const today = now.setZone(timeZone).toISODate()!;
  const daysBack = (days: number) => DateTime.fromISO(today, { zone: 'utc' }).minus({ days }).toISODate()!;
  const teamFilter = viewer.role === 'admin' ? query.team : undefined;
  const trendScope: TrendScope = viewer.role === 'admin' && teamFilter === undefined ? 'organisation' : 'coaches';
  const [coaches, teamOptions, thresholds] = await Promise.all([
    listCoachesInView(db, viewer, teamFilter),
    viewer.role === 'admin' ? listTeams(db) : Promise.resolve([]),
    findCaseloadThresholds(db),
  ]);
  const coachIds = coaches.map((coach) => coach.id);
  const teamsOnPage = pageTeams(coaches, page);
  // The trend's days first (a probe per day), so its counts read one tally row per coach and day shown.
  const trendDays = pickTrendPoints(
    (await listSnapshotDays(db, daysBack(TREND_WEEKS * 7 - 1))).map((date) => ({ date })),
    today,
  ).map((point) => point.date);
  const [figures, snapshotCounts] = await Promise.all([
    listCoachFiguresPage(
      db,
      { ids: teamsOnPage.ids },
      query,
      { ...page, offset: teamsOnPage.offset },
      { today, from14: daysBack(14), from90: daysBack(90) },
    ),
    // The trend covers every coach in view, not only this page's; an administrator's whole
    // organisation reads its day totals, whatever the number of coaches.
    trendScope === 'organisation' ? listOrganisationSnapshotCounts(db, trendDays) : listSnapshotCounts(db, coachIds, trendDays),
  ]);

  // The page's rows come in team order: consecutive rows of a team make its group.
  const teams: TeamGroup[] = [];
  for (const row of figures) {
    let group = teams[teams.length - 1];
    if (!group || group.teamId !== row.teamId) {
      group = { teamId: row.teamId, teamName: row.teamName, coaches: [], totals: withShares(row.teamFigures) };
      teams.push(group);
    }
    const figures = withShares(row.figures);
    group.coaches.push({ coachId: row.id, coach: row.displayName, ...figures, attention: attentionOf(figures, thresholds) });
  }

  const trend: TrendPoint[] = snapshotCounts.map((row) => ({ date: row.snapshotDate, red: row.red, amber: row.amber }));
  return {
    teams,
    coachesInView: coaches.length,
    pagination: pageInfo(page, coaches.length, figures.length),
    trend,
    trendScope,
    teamOptions,
    thresholds: {
      reachedMinPercent: thresholds.reachedMinPercent,
      redMax: thresholds.redMax,
      overdueMax: thresholds.overdueMax,
    },
  };
}

export interface CoachTrend {
  coach: CoachInView;
  trend: TrendPoint[];
}

/**
 * One coach's red and amber over the last TREND_WEEKS weeks (/dashboard/caseloads/coaches/:coachId),
 * from the daily snapshot's per-coach tallies; null for a coach outside the viewer's view (a
 * manager sees their own team's coaches only), so the page answers 404 as for one that does not exist.
 */
export async function coachTrend(
  db: Kysely<Database>,
  viewer: Viewer,
  coachId: number,
  now: DateTime,
  timeZone: string,
): Promise<CoachTrend | null> {
  const coach = (await listCoachesInView(db, viewer, undefined)).find((candidate) => candidate.id === coachId);
  if (!coach) return null;
  const today = now.setZone(timeZone).toISODate()!;
  const from = DateTime.fromISO(today, { zone: 'utc' })
    .minus({ days: TREND_WEEKS * 7 - 1 })
    .toISODate()!;
  const days = pickTrendPoints(
    (await listSnapshotDays(db, from)).map((date) => ({ date })),
    today,
  ).map((point) => point.date);
  const counts = await listSnapshotCounts(db, [coachId], days);
  // A snapshot day without a row for this coach (nobody of theirs scored) counts as zero, so the line does not skip it.
  const byDay = new Map(counts.map((row) => [row.snapshotDate, row]));
  const trend = days.map((date) => ({ date, red: byDay.get(date)?.red ?? 0, amber: byDay.get(date)?.amber ?? 0 }));
  return { coach, trend };
}

export async function caseloadThresholds(db: Kysely<Database>): Promise<CaseloadThresholdsRecord> {
  return findCaseloadThresholds(db);
}

export type ThresholdsSaveOutcome = { kind: 'saved' } | { kind: 'conflict'; current: CaseloadThresholdsRecord };

/** Saves the attention thresholds against the version the form was loaded at, audited with the changed values. */
export async function saveCaseloadThresholds(
  db: Kysely<Database>,
  viewer: Viewer,
  form: CaseloadThresholdsForm,
  now: Date,
): Promise<ThresholdsSaveOutcome> {
  return db.transaction().execute(async (trx): Promise<ThresholdsSaveOutcome> => {
    const before = await findCaseloadThresholds(trx);
    const { version, ...values } = form;
    if (!(await updateCaseloadThresholdsIfVersion(trx, version, values, viewer.userId, now))) {
      return { kind: 'conflict', current: before };
    }
    const changes: Record<string, { from: number; to: number }> = {};
    for (const field of ['reachedMinPercent', 'redMax', 'overdueMax'] as const) {
      if (before[field] !== values[field]) changes[field] = { from: before[field], to: values[field] };
    }
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'update',
      entityType: 'caseload_thresholds',
      details: { changes },
    });
    return { kind: 'saved' };
  });
}

/**
 * The trend as views/assets/js/caseload-trend.js reads it, for a <script type="application/json">
 * block: `<` and friends are escaped so no value (a coach's name) can end the block.
 */
export function trendJson(data: {
  title: string;
  labels: string[];
  red: number[];
  amber: number[];
  names: { red: string; amber: string };
}): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
