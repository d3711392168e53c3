import type { Services } from '../services';
import { ADMINS, EVERY_ROLE, get, post, type Route } from '../web/routes';
import { saveMailPreferences, sendTestMail, showUnsubscribe, unsubscribeNow } from './controller';

export const mailRoutes: Route<Services>[] = [
  get('/unsubscribe', 'public', showUnsubscribe),
  post('/unsubscribe', 'public', unsubscribeNow),
  post('/account/mail', EVERY_ROLE, saveMailPreferences),
  post('/admin/settings/mail-test', ADMINS, sendTestMail),
];
