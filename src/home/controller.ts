import type { Request } from 'express';
import type { Services } from '../services';
import type { SignedInResponse } from '../web/context';
import { homePathFor } from '../web/navigation';

/** GET /: each role starts on its own page (a coach's day, the others' dashboard). */
export function goHome(_services: Services, _req: Request, res: SignedInResponse) {
  res.redirect(303, homePathFor(res.locals.viewer.role));
}
