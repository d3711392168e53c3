import { Router } from 'express';
import type { Config } from '../../config';

export interface HealthChecks {
  /** Whether the database answers within the time given. */
  databaseIsReachable(timeoutMs: number): Promise<boolean>;
}

/** Liveness and readiness for a load balancer or orchestrator: no session, no sign-in, no cache
 * (the security headers' no-store). */
export function setUpHealthChecks(config: Config, health: HealthChecks): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const ready = await health.databaseIsReachable(config.database.connectTimeoutMs + 500);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'database unavailable' });
  });
  return router;
}
