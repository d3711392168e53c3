import type { Formatters } from '../lib/format';
import type { Viewer } from '../lib/viewer';
import type { Translate } from '../platform/i18n';
import type { CaseloadQuery } from './schemas';
import { trendJson, type CaseloadOverview } from './service';

/** The names of the coaches in view, in the table's order (the chart's label names them). */
export function coachNamesOf(overview: CaseloadOverview): string[] {
  return overview.teams.flatMap((team) => team.coaches.map((coach) => coach.coach));
}

/** The red/amber trend as the chart script reads it, with its labels in the person's language. */
export function trendDataOf(overview: CaseloadOverview, coachNames: string[], t: Translate, fmt: Formatters): string {
  return trendJson({
    title: t('caseloads.trend.chartLabel', { coaches: coachNames.join(', ') }),
    labels: overview.trend.map((point) => fmt.date(point.date)),
    red: overview.trend.map((point) => point.red),
    amber: overview.trend.map((point) => point.amber),
    names: { red: t('caseloads.columns.red'), amber: t('caseloads.columns.amber') },
  });
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
