import type { Services } from '../services';
import { EVERY_ROLE, get, post, type Route } from '../web/routes';
import { issueFeed, revokeFeed, serveFeed, showRegenerateFeed, showRevokeFeed } from './controller';

export const calendarRoutes: Route<Services>[] = [
  // For calendar apps, which cannot sign in: the secret address is the key (see service.ts).
  get('/calendar/:feed', 'public', serveFeed),
  post('/account/calendar-feed', EVERY_ROLE, issueFeed),
  get('/account/calendar-feed/regenerate', EVERY_ROLE, showRegenerateFeed),
  get('/account/calendar-feed/revoke', EVERY_ROLE, showRevokeFeed),
  post('/account/calendar-feed/revoke', EVERY_ROLE, revokeFeed),
];
