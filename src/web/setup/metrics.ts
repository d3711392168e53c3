import type { RequestHandler, Response } from 'express';
import type { Metrics } from '../../platform/metrics';

const routeOfResponse = new WeakMap<Response, string>();

/** The route table's pattern of the route a request reached (web/router.ts marks it first thing). */
export function markRoute(res: Response, pattern: string): void {
  routeOfResponse.set(res, pattern);
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * Counts and times every response by method, route pattern and status. A request that reached no
 * route of the table is labelled by what answered it (`/healthz`, `/readyz`, `/assets`) or `unmatched`
 * (a 404; also a participant id the access rule refused, which is refused before its route is known),
 * so no URL with an id or a typed path ever becomes a label.
 */
export function setUpRequestMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const method = METHODS.has(req.method) ? req.method : 'OTHER';
      metrics.request(method, routeOfResponse.get(res) ?? fallbackRoute(req.originalUrl), res.statusCode, seconds);
    });
    next();
  };
}

function fallbackRoute(url: string): string {
  const path = url.split('?')[0] ?? '';
  if (path === '/healthz' || path === '/readyz') return path;
  if (path.startsWith('/assets/')) return '/assets';
  return 'unmatched';
}
