import type { NextFunction, Request, Response } from 'express';
import type { Role } from '../db/schema';
import { notFound } from '../lib/errors';

/** Pages need a signed-in, active user; others go to /login and come back here afterwards. */
export function requireUser(req: Request, res: Response, next: NextFunction): void {
  if (req.user) return next();
  const returnTo = req.method === 'GET' ? req.originalUrl : '/';
  const query = returnTo === '/' ? '' : `?next=${encodeURIComponent(returnTo)}`;
  res.redirect(303, `/login${query}`);
}

/**
 * Route guard by role. A user without the role gets the same 404 as for a page that does not
 * exist: what you may not see is not revealed.
 */
export function requireRole(...roles: Role[]) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (req.user && roles.includes(req.user.role)) return next();
    next(notFound());
  };
}
