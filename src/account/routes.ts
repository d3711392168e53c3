import type { Services } from '../services';
import { EVERY_ROLE, get, post, type Route } from '../web/routes';
import { changePassword, showAccount } from './controller';

export const accountRoutes: Route<Services>[] = [
  get('/account', EVERY_ROLE, showAccount),
  post('/account/password', EVERY_ROLE, changePassword),
];
