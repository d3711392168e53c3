import type { Services } from '../services';
import { get, MANAGERS_AND_ADMINS, type Route } from '../web/routes';
import { showCaseloads } from './controller';

export const caseloadRoutes: Route<Services>[] = [get('/dashboard/caseloads', MANAGERS_AND_ADMINS, showCaseloads)];
