import type { Formatters } from '../lib/format';
import type { Viewer } from '../lib/viewer';
import type { Translate } from '../platform/i18n';
import type { CaseloadQuery, ThresholdField } from './schemas';
import { trendJson, type CaseloadOverview, type CoachTrend } from './service';

/** The names of the coaches on the page, in the table's order. */
export function coachNamesOf(overview: CaseloadOverview): string[] {
  return overview.teams.flatMap((team) => team.coaches.map((coach) => coach.coach));
}

/**
 * The red/amber trend as the chart script reads it, with its labels in the person's language. The
 * trend covers every coach in view: the label names them when they are all on this page, counts
 * them when there are more pages, and says "the whole organisation" when that is what it counts.
 */
export function trendDataOf(overview: CaseloadOverview, coachNames: string[], t: Translate, fmt: Formatters): string {
  const coaches =
    overview.trendScope === 'organisation'
      ? t('caseloads.trend.organisation')
      : coachNames.length === overview.coachesInView
        ? coachNames.join(', ')
        : t('caseloads.trend.allCoaches', { count: overview.coachesInView });
  return trendJson({
    title: t('caseloads.trend.chartLabel', { coaches }),
    labels: overview.trend.map((point) => fmt.date(point.date)),
    red: overview.trend.map((point) => point.red),
    amber: overview.trend.map((point) => point.amber),
    names: { red: t('caseloads.columns.red'), amber: t('caseloads.columns.amber') },
  });
}

/** The page links' query: the sort and an admin's team choice, without the page. */
export function pageQueryFor(query: CaseloadQuery, viewer: Viewer): string {
  const params = new URLSearchParams();
  if (query.team !== undefined && viewer.role === 'admin') params.set('team', String(query.team));
  params.set('sort', query.sort);
  params.set('dir', query.dir);
  return params.toString();
}

/**
 * A column heading's link: sorts by that column, ascending first, the other way when it already
 * sorts ascending by it. An admin's team choice is kept.
 */
export function sortLinkFor(query: CaseloadQuery, viewer: Viewer): (column: string) => string {
  return (column) => {
    const params = new URLSearchParams();
    if (query.team !== undefined && viewer.role === 'admin') params.set('team', String(query.team));
    params.set('sort', column);
    params.set('dir', query.sort === column && query.dir === 'asc' ? 'desc' : 'asc');
    return `/dashboard/caseloads?${params.toString()}`;
  };
}

/** One coach's trend as the chart script reads it. */
export function coachTrendDataOf(found: CoachTrend, t: Translate, fmt: Formatters): string {
  return trendJson({
    title: t('caseloads.trend.chartLabel', { coaches: found.coach.displayName }),
    labels: found.trend.map((point) => fmt.date(point.date)),
    red: found.trend.map((point) => point.red),
    amber: found.trend.map((point) => point.amber),
    names: { red: t('caseloads.columns.red'), amber: t('caseloads.columns.amber') },
  });
}

export const THRESHOLD_LABELS: Record<ThresholdField, string> = {
  reachedMinPercent: 'caseloads.thresholds.fields.reachedMinPercent',
  redMax: 'caseloads.thresholds.fields.redMax',
  overdueMax: 'caseloads.thresholds.fields.overdueMax',
};

/** The thresholds as the form shows them. */
export function thresholdValuesOf(record: Record<ThresholdField | 'version', number>): Record<string, string> {
  return {
    reachedMinPercent: String(record.reachedMinPercent),
    redMax: String(record.redMax),
    overdueMax: String(record.overdueMax),
    version: String(record.version),
  };
}
