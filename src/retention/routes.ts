import type { Services } from '../services';
import { ADMINS, get, post, type Route } from '../web/routes';
import { eraseParticipant, saveRetention, showErasure, showRetention, showRetentionDryRun } from './controller';

export const retentionRoutes: Route<Services>[] = [
  get('/admin/retention', ADMINS, showRetention),
  post('/admin/retention', ADMINS, saveRetention),
  get('/admin/retention/dry-run', ADMINS, showRetentionDryRun),
  get('/participants/:id/erase', ADMINS, showErasure),
  // An administrator's change outside /admin/ (and one that cannot be undone): step-up, as every
  // POST under /admin/ (web/routes.ts needsStepUp).
  post('/participants/:id/erase', ADMINS, eraseParticipant, { stepUp: true }),
];
