import type { Services } from '../services';
import { EVERY_ROLE, get, MANAGERS_AND_ADMINS, type Route } from '../web/routes';
import { exportPeriod, showReports } from './controller';

export const reportRoutes: Route<Services>[] = [
  get('/reports', EVERY_ROLE, showReports),
  // Step-up: the second factor again when the last one is old (src/mfa/step-up.ts).
  get('/reports/export', MANAGERS_AND_ADMINS, exportPeriod, { stepUp: true }),
];
