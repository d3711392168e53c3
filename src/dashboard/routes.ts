import type { Services } from '../services';
import { EVERY_ROLE, get, type Route } from '../web/routes';
import { showDashboard } from './controller';

export const dashboardRoutes: Route<Services>[] = [get('/dashboard', EVERY_ROLE, showDashboard)];
