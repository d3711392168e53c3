import type { Services } from '../services';
import { ADMINS, get, type Route } from '../web/routes';
import { showAuditLog } from './controller';

export const auditRoutes: Route<Services>[] = [get('/admin/audit', ADMINS, showAuditLog)];
