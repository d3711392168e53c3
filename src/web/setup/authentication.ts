import { Router } from 'express';
import type passport from 'passport';
import type { Clock } from '../../lib/clock';
import { safeLocalPath } from '../../lib/safe-redirect';
import { viewerFor } from '../../lib/viewer';

/**
 * Who is asking. passport reloads the signed-in user from the session on every request (so a
 * deactivated account is out at its next request), and a signed-in request gets its viewer, the
 * access rules' view of the person (id, role, team, today in the organisation's zone).
 */
export function setUpAuthentication(authenticator: passport.Authenticator, clock: Clock, timeZone: string): Router {
  const router = Router();
  router.use(authenticator.initialize());
  router.use(authenticator.session());
  router.use((req, res, next) => {
    if (req.user) res.locals.viewer = viewerFor(req.user, clock, timeZone);
    next();
  });
  return router;
}

/** Pages need a signed-in, active user; others go to /login and come back here afterwards. */
export function requireSignIn(): Router {
  const router = Router();
  router.use((req, res, next) => {
    if (req.user) return next();
    // Only an address /login would accept back (safeLocalPath: local, at most 2,000 characters):
    // a longer one, percent-encoded into Location, could exceed what a client reads of a header.
    const returnTo = req.method === 'GET' ? safeLocalPath(req.originalUrl) : '/';
    res.redirect(303, returnTo === '/' ? '/login' : `/login?next=${encodeURIComponent(returnTo)}`);
  });
  return router;
}
