import type { Services } from '../services';
import { EVERY_ROLE, get, post, type Route } from '../web/routes';
import { recordConsent, showNewConsentForm, showWithdrawConsentForm, withdrawConsent } from './controller';

// Whoever may see the participant records and withdraws consent (the parent router's access rule),
// only while the participant is open.
export const consentRoutes: Route<Services>[] = [
  get('/participants/:id/consents/new', EVERY_ROLE, showNewConsentForm, { participant: 'open' }),
  post('/participants/:id/consents/new', EVERY_ROLE, recordConsent, { participant: 'open' }),
  get('/participants/:id/consents/:consentId/withdraw', EVERY_ROLE, showWithdrawConsentForm, { participant: 'open' }),
  post('/participants/:id/consents/:consentId/withdraw', EVERY_ROLE, withdrawConsent, { participant: 'open' }),
];
