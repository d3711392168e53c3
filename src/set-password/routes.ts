import type { Services } from '../services';
import { get, post, type Route } from '../web/routes';
import { setPassword, showSetPasswordForm } from './controller';

export const setPasswordRoutes: Route<Services>[] = [
  get('/set-password', 'public', showSetPasswordForm),
  post('/set-password', 'public', setPassword),
];
