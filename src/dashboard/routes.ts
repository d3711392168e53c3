import { Router } from 'express';
import type { AppDeps } from '../app-deps';
import { requireRole } from '../auth/guards';
import { pageFromQuery, pageInfo } from '../lib/pagination';
import { viewerFor } from '../lib/viewer';
import { describeReason, RISK_SIGNALS } from '../risk/service';
import { DashboardQuery, type DashboardQuery as DashboardFilters } from './schemas';
import { dashboardPage } from './service';

/** The filters as a query string (without page), so pagination links keep them. */
function filterQuery(filters: DashboardFilters): string {
  const query = new URLSearchParams();
  if (filters.team !== undefined) query.set('team', String(filters.team));
  if (filters.coach !== undefined) query.set('coach', String(filters.coach));
  if (filters.level !== 'flagged') query.set('level', filters.level);
  if (filters.signal) query.set('signal', filters.signal);
  if (filters.acknowledged !== 'all') query.set('acknowledged', filters.acknowledged);
  return query.toString();
}

/**
 * The risk dashboard: who is drifting out of view, red first. A coach sees their caseload and the
 * ones they stand in for, a manager their team, an admin everyone (participantVisibleTo).
 */
export function dashboardRoutes(deps: AppDeps): Router {
  const router = Router();
  const { db, clock, config } = deps;

  router.get('/dashboard', requireRole('coach', 'manager', 'admin'), async (req, res) => {
    const viewer = viewerFor(req.user!, clock, config.timeZone);
    const page = pageFromQuery(req.query);
    const dashboard = await dashboardPage(db, viewer, DashboardQuery.parse(req.query), page, {
      now: clock.now(),
      timeZone: config.timeZone,
    });
    const baseQuery = filterQuery(dashboard.filters);
    res.render('dashboard/index', {
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
    });
  });

  return router;
}
