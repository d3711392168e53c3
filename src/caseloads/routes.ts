import type { Services } from '../services';
import { ADMINS, get, MANAGERS_AND_ADMINS, post, type Route } from '../web/routes';
import { saveCaseloadThresholds, showCaseloads, showCaseloadThresholds, showCoachTrend } from './controller';

export const caseloadRoutes: Route<Services>[] = [
  get('/dashboard/caseloads', MANAGERS_AND_ADMINS, showCaseloads),
  get('/dashboard/caseloads/coaches/:coachId', MANAGERS_AND_ADMINS, showCoachTrend),
  get('/admin/settings/caseloads', ADMINS, showCaseloadThresholds),
  post('/admin/settings/caseloads', ADMINS, saveCaseloadThresholds),
];
