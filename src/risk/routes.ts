import type { Services } from '../services';
import { ADMINS, EVERY_ROLE, get, post, type Route } from '../web/routes';
import { acknowledgeRisk, saveRiskSettings, showAcknowledgeRiskForm, showRiskSettings } from './controller';

/** Acknowledging a participant's risk flag: a participant the viewer may not see is a 404 and nothing is stored. */
export const riskRoutes: Route<Services>[] = [
  get('/participants/:id/risk/acknowledge', EVERY_ROLE, showAcknowledgeRiskForm),
  post('/participants/:id/risk/acknowledge', EVERY_ROLE, acknowledgeRisk),
];

/** The thresholds of the risk signals: administrators only. */
export const riskSettingsRoutes: Route<Services>[] = [
  get('/admin/settings', ADMINS, showRiskSettings),
  post('/admin/settings', ADMINS, saveRiskSettings),
];
