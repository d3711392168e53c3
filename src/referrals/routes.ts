import type { Services } from '../services';
import { EVERY_ROLE, get, post, type Route } from '../web/routes';
import { createReferral, recordFollowUpDone, saveReferral, showEditReferralForm, showNewReferralForm } from './controller';

export const referralRoutes: Route<Services>[] = [
  get('/participants/:id/referrals/new', EVERY_ROLE, showNewReferralForm, { participant: 'open' }),
  post('/participants/:id/referrals/new', EVERY_ROLE, createReferral, { participant: 'open' }),
  get('/participants/:id/referrals/:referralId/edit', EVERY_ROLE, showEditReferralForm, { participant: 'open' }),
  post('/participants/:id/referrals/:referralId/edit', EVERY_ROLE, saveReferral, { participant: 'open' }),
  post('/participants/:id/referrals/:referralId/follow-up-done', EVERY_ROLE, recordFollowUpDone, { participant: 'open' }),
];
