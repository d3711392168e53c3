import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import type { Database } from '../db/schema';
import type { Viewer } from '../lib/viewer';
import { listCoachFigures, listCoachesInView, listSnapshotCounts, listTeams, type CoachInView } from './queries';
import type { CaseloadColumn, CaseloadQuery } from './schemas';

// Caseload health per coach and team (/dashboard/caseloads): the figures a manager needs to see
// which coach's caseload needs help. Every figure is over the coach's active caseload — the
// participants the risk engine scores (not closed, open trajectory that has started), read from the
// stored risk state (risk/README.md "Stored state") in one grouped query: the page costs the same
// for ten coaches or a thousand, and never runs the engine per request.
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
  teams: TeamGroup[];
  trend: TrendPoint[];
  teamOptions: Array<{ id: number; name: string }>;
}

const COUNTED = [
  'active',
  'reached14',
  'red',
  'amber',
  'overdue',
  'contacts7',
  'contacts30',
  'goalsAchieved90',
  'withActivePlacement',
] as const;

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

function sortValue(row: CoachRow, column: CaseloadColumn): number | string {
  if (column === 'coach') return row.coach.toLocaleLowerCase('nl');
  // No caseload, no share: below 0 % so it sorts with the lowest.
  return row[column] ?? -1;
}

export function sortCoachRows(rows: CoachRow[], column: CaseloadColumn, dir: 'asc' | 'desc'): CoachRow[] {
  const sign = dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const left = sortValue(a, column);
    const right = sortValue(b, column);
    const order =
      typeof left === 'string' && typeof right === 'string'
        ? left.localeCompare(right, 'nl')
        : (left as number) - (right as number);
    // Ties keep the name order, whatever the direction, so the table does not jump around.
    return order !== 0 ? sign * order : a.coach.localeCompare(b.coach, 'nl') || a.coachId - b.coachId;
  });
}

/** The latest snapshot date in each of the last TREND_WEEKS weeks (ending today), plus the latest. */
export function pickTrendPoints(counts: TrendPoint[], today: string): TrendPoint[] {
  const todayDate = DateTime.fromISO(today, { zone: 'utc' });
  const chosen = new Map<string, TrendPoint>();
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

export async function caseloadOverview(
  db: Kysely<Database>,
  viewer: Viewer,
  query: CaseloadQuery,
  now: DateTime,
  timeZone: string,
): Promise<CaseloadOverview> {
  const today = now.setZone(timeZone).toISODate()!;
  const daysBack = (days: number) => DateTime.fromISO(today, { zone: 'utc' }).minus({ days }).toISODate()!;
  const [coaches, teamOptions] = await Promise.all([
    listCoachesInView(db, viewer, viewer.role === 'admin' ? query.team : undefined),
    viewer.role === 'admin' ? listTeams(db) : Promise.resolve([]),
  ]);
  const coachIds = coaches.map((coach) => coach.id);
  const [figures, snapshotCounts] = await Promise.all([
    listCoachFigures(
      db,
      viewer,
      coachIds,
      { today, from7: daysBack(7), from14: daysBack(14), from30: daysBack(30), from90: daysBack(90) },
      timeZone,
    ),
    listSnapshotCounts(db, coachIds, daysBack(TREND_WEEKS * 7 - 1)),
  ]);

  const figuresOf = new Map(figures.map((row) => [row.coachId, row]));
  const rowOf = (coach: CoachInView): CoachRow => {
    const row = figuresOf.get(coach.id);
    return {
      coachId: coach.id,
      coach: coach.displayName,
      ...withShares({
        active: row?.active ?? 0,
        reached14: row?.reached14 ?? 0,
        red: row?.red ?? 0,
        amber: row?.amber ?? 0,
        overdue: row?.overdue ?? 0,
        contacts7: row?.contacts7 ?? 0,
        contacts30: row?.contacts30 ?? 0,
        goalsAchieved90: row?.goalsAchieved90 ?? 0,
        withActivePlacement: row?.withActivePlacement ?? 0,
      }),
    };
  };

  const groups = new Map<number | null, TeamGroup>();
  for (const coach of coaches) {
    const group = groups.get(coach.teamId) ?? {
      teamId: coach.teamId,
      teamName: coach.teamName,
      coaches: [],
      totals: withShares(zeroCounts()),
    };
    group.coaches.push(rowOf(coach));
    groups.set(coach.teamId, group);
  }
  const teams = [...groups.values()]
    .map((group) => {
      const totals = zeroCounts();
      for (const row of group.coaches) for (const key of COUNTED) totals[key] += row[key];
      return { ...group, coaches: sortCoachRows(group.coaches, query.sort, query.dir), totals: withShares(totals) };
    })
    // Teams by name; coaches without a team last.
    .sort((a, b) => (a.teamName === null ? 1 : b.teamName === null ? -1 : a.teamName.localeCompare(b.teamName, 'nl')));

  const trend = pickTrendPoints(
    snapshotCounts.map((row) => ({ date: row.snapshotDate, red: row.red, amber: row.amber })),
    today,
  );
  return { teams, trend, teamOptions };
}

function zeroCounts(): Omit<CaseloadFigures, 'reachedPercent' | 'placementPercent'> {
  return {
    active: 0,
    reached14: 0,
    red: 0,
    amber: 0,
    overdue: 0,
    contacts7: 0,
    contacts30: 0,
    goalsAchieved90: 0,
    withActivePlacement: 0,
  };
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
