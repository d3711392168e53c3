import type { Services } from '../services';
import { get, post, type Route } from '../web/routes';
import { changeLocale, showLoginForm, signIn, signOut } from './controller';

export const authRoutes: Route<Services>[] = [
  get('/login', 'public', showLoginForm),
  post('/login', 'public', signIn),
  post('/logout', 'public', signOut),
  post('/locale', 'public', changeLocale),
];
