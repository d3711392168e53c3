import type { Services } from '../services';
import { ADMINS, get, post, type Route } from '../web/routes';
import { deactivateUser, listUsers, reactivateUser, showDeactivateForm } from './controller';

export const adminRoutes: Route<Services>[] = [
  get('/admin/users', ADMINS, listUsers),
  get('/admin/users/:id/deactivate', ADMINS, showDeactivateForm),
  post('/admin/users/:id/deactivate', ADMINS, deactivateUser),
  post('/admin/users/:id/reactivate', ADMINS, reactivateUser),
];
