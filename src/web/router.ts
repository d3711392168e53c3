import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { notFound } from '../lib/errors';
import { securityEvent } from '../platform/security-log';
import { localsOf, type ParticipantLocals } from './context';
import type { Route } from './routes';
import { isParticipantRoute, needsStepUp, PARTICIPANT_PREFIX } from './routes';
import { participantParentRouter, type ParticipantLoader } from './participant-router';
import { markRoute } from './setup/metrics';

/** The Express handler of one route: its services first, then what Express passes. */
function bound<S>(route: Route<S>, services: S): RequestHandler {
  return (req, res, next) => route.handler(services, req, res, next);
}

/** First of every route: which route of the table this is, for the request metrics (never the URL with its ids). */
function marked<S>(route: Route<S>): RequestHandler {
  return (_req, res, next) => {
    markRoute(res, route.path);
    next();
  };
}

/**
 * A route is for the roles it names: anyone else gets the same 404 as for a page that does not
 * exist, so what you may not see is not revealed; the security log says it was refused. (Signed-out
 * visitors never get this far.)
 */
function roleGuard<S>(route: Route<S>): RequestHandler[] {
  const { access } = route;
  if (access === 'public') return [];
  return [
    (req: Request, _res: Response, next: NextFunction) => {
      if (req.user && access.includes(req.user.role)) return next();
      securityEvent('access_refused', 'refused', { route: route.path, reason: 'role' });
      next(notFound());
    },
  ];
}

/** Routes for a closed participant's records that would change them answer 404. */
function openParticipantGuard<S>(route: Route<S>): RequestHandler[] {
  if (route.participant !== 'open') return [];
  return [
    (_req: Request, res: Response, next: NextFunction) => {
      const { participant } = localsOf<ParticipantLocals>(res);
      next(participant.status === 'closed' ? notFound() : undefined);
    },
  ];
}

function before<S>(route: Route<S>, services: S): RequestHandler[] {
  return route.before?.(services) ?? [];
}

/** Guards the app hands the router: the step-up check (src/mfa/step-up.ts) for the routes needsStepUp names. */
export interface RouteGuards {
  stepUp: RequestHandler;
}

function stepUpGuard<S>(route: Route<S>, guards: RouteGuards): RequestHandler[] {
  return needsStepUp(route) ? [guards.stepUp] : [];
}

/** The table's public routes (sign-in, sign-out, language), mounted before the sign-in check. */
export function publicRouter<S>(routes: readonly Route<S>[], services: S): Router {
  const router = Router();
  for (const route of routes.filter((candidate) => candidate.access === 'public')) {
    router[route.method](route.path, marked(route), ...before(route, services), bound(route, services));
  }
  return router;
}

/**
 * The table's signed-in routes, each behind its role guard (and the step-up guard where needsStepUp says). Routes under /participants/:id go to the
 * parent router, which loads the participant through the access rule before any of them runs.
 */
export function signedInRouter<S>(
  routes: readonly Route<S>[],
  services: S,
  loadParticipant: ParticipantLoader,
  guards: RouteGuards,
): Router {
  const router = Router();
  const children = Router({ mergeParams: true });
  for (const route of routes.filter((candidate) => candidate.access !== 'public')) {
    if (isParticipantRoute(route.path)) {
      const childPath = route.path.slice(PARTICIPANT_PREFIX.length) || '/';
      children[route.method](
        childPath,
        marked(route),
        ...roleGuard(route),
        ...openParticipantGuard(route),
        ...stepUpGuard(route, guards),
        ...before(route, services),
        bound(route, services),
      );
    } else {
      router[route.method](
        route.path,
        marked(route),
        ...roleGuard(route),
        ...stepUpGuard(route, guards),
        ...before(route, services),
        bound(route, services),
      );
    }
  }
  router.use(participantParentRouter(loadParticipant, children));
  return router;
}
