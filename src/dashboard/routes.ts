import { Router } from 'express';
import type { AppDeps } from '../app-deps';
import { requireRole } from '../auth/guards';

/**
 * The risk dashboard for managers and administrators. Risk signals arrive with the risk feature;
 * until then the page shows the user's scope and an honest empty state.
 */
export function dashboardRoutes(deps: AppDeps): Router {
  const router = Router();
  router.get('/dashboard', requireRole('manager', 'admin'), (_req, res) => {
    res.render('dashboard/index', {
      title: res.locals.t('dashboard.title'),
      todayDate: deps.clock.now().setZone(deps.config.timeZone),
    });
  });
  return router;
}
