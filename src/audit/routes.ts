import type { Services } from '../services';
import { ADMINS, get, type Route } from '../web/routes';
import { downloadAuditLog, showAuditLog } from './controller';

// The audit log is the administrators' alone: it names every participant and every colleague.
export const auditRoutes: Route<Services>[] = [
  get('/admin/audit', ADMINS, showAuditLog),
  // A download of the whole log (names looked up) asks for the second factor again when it is old.
  get('/admin/audit/export.csv', ADMINS, downloadAuditLog, { stepUp: true }),
];
