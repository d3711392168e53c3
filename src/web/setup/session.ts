import { Router, type RequestHandler } from 'express';
import session from 'express-session';
import type { Config } from '../../config';
import type { Clock } from '../../lib/clock';
import type { Logger } from '../../lib/logger';
import { messageOf } from '../../lib/errors';

export const SESSION_COOKIE = 'inbeeld.sid';

/**
 * The session cookie: HttpOnly, SameSite=Lax, Secure in production; every request pushes the idle
 * deadline forward, and a session ends `absoluteHours` after sign-in however active it is.
 */
export function setUpSession(config: Config, store: session.Store, clock: Clock, logger: Logger): Router {
  const sessions = session({
    name: SESSION_COOKIE,
    store,
    secret: config.session.secret,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure: config.isProduction, maxAge: config.session.idleMinutes * 60_000 },
  });
  const router = Router();
  router.use(answerStandsIfStoringFails(sessions, logger));
  router.use((req, res, next) => {
    const signedInAt = req.session.signedInAt;
    if (signedInAt === undefined || clock.now().toMillis() - signedInAt <= config.session.absoluteHours * 3_600_000)
      return next();
    req.session.destroy((error) => {
      if (error) return next(error);
      res.clearCookie(SESSION_COOKIE);
      res.redirect(303, '/login?expired=1');
    });
  });
  return router;
}

/**
 * express-session stores (or touches) the session while the response ends and hands a failure to
 * the `next` it was first given, after the request has moved on: Express would then cut the
 * connection of an answer already written (a 503 page as the database goes away, say). That answer
 * stands; the failure is only logged.
 */
function answerStandsIfStoringFails(sessions: RequestHandler, logger: Logger): RequestHandler {
  return (req, res, next) => {
    let continued = false;
    sessions(req, res, (error?: unknown) => {
      if (!continued) {
        continued = true;
        return next(error);
      }
      if (error) {
        logger.warn({ reqId: req.id, detail: messageOf(error) }, 'session not stored after the response');
      }
    });
  };
}
