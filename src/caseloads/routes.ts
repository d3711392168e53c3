import { Router } from 'express';
import type { AppDeps } from '../app-deps';
import { requireRole } from '../auth/guards';
import { viewerFor } from '../lib/viewer';
import { CASELOAD_COLUMNS, CaseloadQuery } from './schemas';
import { caseloadOverview, trendJson } from './service';

export function caseloadRoutes(deps: AppDeps): Router {
  const router = Router();
  const { db, clock, config } = deps;

  router.get('/dashboard/caseloads', requireRole('manager', 'admin'), async (req, res) => {
    const query = CaseloadQuery.parse(req.query);
    const viewer = viewerFor(req.user!, clock, config.timeZone);
    const overview = await caseloadOverview(db, viewer, query, clock.now(), config.timeZone);
    const { t, fmt } = res.locals;
    const coachNames = overview.teams.flatMap((team) => team.coaches.map((coach) => coach.coach));
    const trendData = trendJson({
      title: t('caseloads.trend.chartLabel', { coaches: coachNames.join(', ') }),
      labels: overview.trend.map((point) => fmt.date(point.date)),
      red: overview.trend.map((point) => point.red),
      amber: overview.trend.map((point) => point.amber),
      names: { red: t('caseloads.columns.red'), amber: t('caseloads.columns.amber') },
    });
    const sortLink = (column: string): string => {
      const params = new URLSearchParams();
      if (query.team !== undefined && viewer.role === 'admin') params.set('team', String(query.team));
      params.set('sort', column);
      params.set('dir', query.sort === column && query.dir === 'asc' ? 'desc' : 'asc');
      return `/dashboard/caseloads?${params.toString()}`;
    };
    res.render('caseloads/index', {
      title: t('caseloads.title'),
      overview,
      query,
      columns: CASELOAD_COLUMNS,
      sortLink,
      coachNames,
      trendData,
      todayDate: clock.now().setZone(config.timeZone),
    });
  });
  return router;
}
