import type { Services } from '../services';
import { ADMINS, get, post, type Route } from '../web/routes';
import {
  deactivatePerson,
  endSessions,
  invitePerson,
  issuePasswordLink,
  listUsers,
  reactivatePerson,
  savePerson,
  showDeactivateForm,
  showInviteForm,
  showPerson,
} from './controller';

export const adminRoutes: Route<Services>[] = [
  get('/admin/users', ADMINS, listUsers),
  get('/admin/users/new', ADMINS, showInviteForm),
  post('/admin/users', ADMINS, invitePerson),
  get('/admin/users/:id', ADMINS, showPerson),
  post('/admin/users/:id', ADMINS, savePerson),
  get('/admin/users/:id/deactivate', ADMINS, showDeactivateForm),
  post('/admin/users/:id/deactivate', ADMINS, deactivatePerson),
  post('/admin/users/:id/reactivate', ADMINS, reactivatePerson),
  post('/admin/users/:id/password-link', ADMINS, issuePasswordLink),
  post('/admin/users/:id/sessions/end', ADMINS, endSessions),
];
