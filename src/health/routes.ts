import { Router } from 'express';
import type { AppDeps } from '../app-deps';
import { databaseIsReachable } from '../db/database';

/** Liveness and readiness for a load balancer or orchestrator; no session, no sign-in. */
export function healthRoutes(deps: AppDeps): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const timeoutMs = deps.config.database.connectTimeoutMs + 500;
    const ready = await databaseIsReachable(deps.db, timeoutMs);
    res
      .status(ready ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({ status: ready ? 'ready' : 'database unavailable' });
  });
  return router;
}
