import type { Request } from 'express';
import { pageFromQuery, pageInfo } from '../lib/pagination';
import { describeReason, RISK_SIGNALS } from '../risk/service';
import type { Services } from '../services';
import type { SignedInResponse } from '../web/context';
import { filterQuery } from './presentation';
import { DashboardQuery } from './schemas';

/**
 * GET /dashboard: the risk dashboard, who is drifting out of view, red first. A coach sees their
 * caseload and the ones they stand in for, a manager their team, an admin everyone (participantVisibleTo).
 */
export async function showDashboard(services: Services, req: Request, res: SignedInResponse) {
  const { viewer } = res.locals;
  const page = pageFromQuery(req.query);
  const [dashboard, openSupport, retentionNotice] = await Promise.all([
    services.dashboard.dashboardPage(viewer, DashboardQuery.parse(req.query), page, {
      now: services.clock.now(),
      timeZone: services.config.timeZone,
    }),
    services.support.openRequestsForDashboard(viewer),
    // Administrators are told while no retention period for closed files is set (src/retention).
    services.retention.closedFilesPeriodMissing(viewer),
  ]);
  const baseQuery = filterQuery(dashboard.filters);
  res.render('dashboard/index', {
    retentionNotice,
    title: res.locals.t('dashboard.title'),
    todayDate: viewer.today,
    rows: dashboard.rows,
    counts: dashboard.counts,
    filters: dashboard.filters,
    options: dashboard.options,
    signals: RISK_SIGNALS,
    pagination: pageInfo(page, dashboard.total, dashboard.rows.length),
    baseQuery,
    isFiltered: baseQuery !== '',
    returnTo: encodeURIComponent('/dashboard'),
    describeReason,
    openSupport,
  });
}
