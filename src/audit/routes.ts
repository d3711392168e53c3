import type { Services } from '../services';
import { ADMINS, get, type Route } from '../web/routes';
import { downloadAuditLog, showAuditLog } from './controller';

// The audit log is the administrators' alone: it names every participant and every colleague.
export const auditRoutes: Route<Services>[] = [
  get('/admin/audit', ADMINS, showAuditLog),
  get('/admin/audit/export.csv', ADMINS, downloadAuditLog),
];
