import { Router } from 'express';
import type { AppDeps } from '../app-deps';
import { requireRole } from '../auth/guards';

/**
 * The coach's day. Contact moments and follow-ups arrive with the contacts feature; until then the
 * page says plainly that there is nothing to plan yet.
 */
export function todayRoutes(deps: AppDeps): Router {
  const router = Router();
  router.get('/today', requireRole('coach'), (_req, res) => {
    res.render('today/index', {
      title: res.locals.t('today.title'),
      todayDate: deps.clock.now().setZone(deps.config.timeZone),
    });
  });
  return router;
}
