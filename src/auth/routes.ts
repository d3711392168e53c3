import type { Services } from '../services';
import { get, post, type Route } from '../web/routes';
import { changeLocale, refuseSignIn, showLoginForm, signIn, signOut } from './controller';

export const authRoutes: Route<Services>[] = [
  get('/login', 'public', showLoginForm),
  post('/login', 'public', signIn, {
    before: (services) => services.loginRateLimiters((req, res) => refuseSignIn(services, req, res)),
  }),
  post('/logout', 'public', signOut),
  post('/locale', 'public', changeLocale),
];
