import type { Services } from '../services';
import { get, post, type Route } from '../web/routes';
import { requestPasswordLink, showForgotPassword } from './controller';

export const forgotPasswordRoutes: Route<Services>[] = [
  get('/forgot-password', 'public', showForgotPassword),
  post('/forgot-password', 'public', requestPasswordLink),
];
