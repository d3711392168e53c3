import type { Services } from '../services';
import { COACHES, get, type Route } from '../web/routes';
import { showToday, showTodayUpdates } from './controller';

export const todayRoutes: Route<Services>[] = [
  get('/today', COACHES, showToday),
  get('/today/updates', COACHES, showTodayUpdates),
];
