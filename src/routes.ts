import { authRoutes } from './auth/routes';
import { caseloadRoutes } from './caseloads/routes';
import { contactRoutes } from './contacts/routes';
import { dashboardRoutes } from './dashboard/routes';
import { homeRoutes } from './home/routes';
import { participantRoutes } from './participants/routes';
import { todayRoutes } from './today/routes';
import type { Services } from './services';
import type { Route } from './web/routes';

/**
 * The route table: every URL of the app with who may reach it, gathered from each feature's
 * routes.ts. src/app.ts mounts it; the authorization matrix and the fuzz test read it, so a new
 * route cannot escape either.
 */
export const routeTable: readonly Route<Services>[] = [
  ...authRoutes,
  ...homeRoutes,
  ...todayRoutes,
  ...caseloadRoutes,
  ...dashboardRoutes,
  ...participantRoutes,
  ...contactRoutes,
];
