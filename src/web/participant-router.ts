import { Router, type NextFunction, type Request, type Response } from 'express';
import { notFound } from '../lib/errors';
import { idParam } from '../lib/form-fields';
import type { Viewer } from '../lib/viewer';
import type { ParticipantRecord } from '../participants/service';
import { securityEvent } from '../platform/security-log';
import { localsOf, type SignedInLocals } from './context';
import { PARTICIPANT_PREFIX } from './routes';

/** Finds a participant the viewer may see (the access rule of src/db/access.ts), or nothing. */
export type ParticipantLoader = (viewer: Viewer, id: number) => Promise<ParticipantRecord | undefined>;

/**
 * The parent of every /participants/:id route. Its param loader finds the participant through the
 * access rule first: a malformed id, an unknown one and one the viewer may not see all answer 404
 * before any child handler runs, and the security log says it was refused; otherwise the children
 * find it in `res.locals.participant`.
 */
export function participantParentRouter(load: ParticipantLoader, children: Router): Router {
  const parent = Router();
  parent.param('id', async (_req: Request, res: Response, next: NextFunction, value: string) => {
    // Mounted behind the sign-in check (src/app.ts), so the viewer is there: the one place that says so.
    const { viewer } = localsOf<SignedInLocals>(res);
    const parsed = idParam.safeParse({ id: value });
    const participant = parsed.success ? await load(viewer, parsed.data.id) : undefined;
    if (!participant) {
      // An unknown id and one the viewer may not see look the same, here as on the page.
      securityEvent('access_refused', 'refused', { reason: 'participant', participantId: parsed.data?.id ?? null });
      return next(notFound());
    }
    res.locals.participant = participant;
    next();
  });
  parent.use(PARTICIPANT_PREFIX, children);
  return parent;
}
