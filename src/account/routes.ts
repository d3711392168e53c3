import type { Services } from '../services';
import { EVERY_ROLE, get, post, type Route } from '../web/routes';
import { changePassword, endOtherSessions, endSession, showAccount, showEndOtherSessions } from './controller';

export const accountRoutes: Route<Services>[] = [
  get('/account', EVERY_ROLE, showAccount),
  post('/account/password', EVERY_ROLE, changePassword),
  get('/account/sessions/end-others', EVERY_ROLE, showEndOtherSessions),
  post('/account/sessions/end-others', EVERY_ROLE, endOtherSessions),
  post('/account/sessions/:handle/end', EVERY_ROLE, endSession),
];
