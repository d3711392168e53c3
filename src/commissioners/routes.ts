import type { Services } from '../services';
import { ADMINS, get, post, type Route } from '../web/routes';
import {
  createCommissioner,
  deactivateCommissioner,
  listCommissioners,
  reactivateCommissioner,
  saveCommissioner,
  showDeactivateCommissionerForm,
  showEditCommissionerForm,
  showNewCommissionerForm,
} from './controller';

export const commissionerRoutes: Route<Services>[] = [
  get('/admin/commissioners', ADMINS, listCommissioners),
  get('/admin/commissioners/new', ADMINS, showNewCommissionerForm),
  post('/admin/commissioners', ADMINS, createCommissioner),
  get('/admin/commissioners/:id/edit', ADMINS, showEditCommissionerForm),
  post('/admin/commissioners/:id/edit', ADMINS, saveCommissioner),
  get('/admin/commissioners/:id/deactivate', ADMINS, showDeactivateCommissionerForm),
  post('/admin/commissioners/:id/deactivate', ADMINS, deactivateCommissioner),
  post('/admin/commissioners/:id/reactivate', ADMINS, reactivateCommissioner),
];
