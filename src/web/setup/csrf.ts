import { Router, type Request } from 'express';
import { csrfSync } from 'csrf-sync';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function tokenOf(req: Request): string | undefined {
  const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf;
  if (typeof fromBody === 'string') return fromBody;
  const fromHeader = req.headers['x-csrf-token'];
  return typeof fromHeader === 'string' ? fromHeader : undefined;
}

/**
 * Synchroniser tokens (csrf-sync): every state-changing request carries the session's token in the
 * form (`_csrf`) or a header, or it answers 403. Pages get `csrfToken()` to put in their forms; it is
 * lazy, so a page without a form makes no token (and so no session).
 */
export function setUpCsrf(): Router {
  const { csrfSynchronisedProtection, generateToken } = csrfSync({ getTokenFromRequest: tokenOf });
  const router = Router();
  router.use((req, res, next) => {
    res.locals.csrfToken = () => generateToken(req);
    if (SAFE_METHODS.has(req.method)) return next();
    csrfSynchronisedProtection(req, res, next);
  });
  return router;
}
