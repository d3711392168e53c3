import type { Services } from '../services';
import { EVERY_ROLE, get, post, type Route } from '../web/routes';
import {
  createEmployer,
  createEmployerContact,
  listEmployers,
  saveEmployer,
  saveEmployerContact,
  showEditEmployerContactForm,
  showEditEmployerForm,
  showEmployer,
  showNewEmployerContactForm,
  showNewEmployerForm,
} from './controller';

export const employerRoutes: Route<Services>[] = [
  get('/employers', EVERY_ROLE, listEmployers),
  get('/employers/new', EVERY_ROLE, showNewEmployerForm),
  post('/employers', EVERY_ROLE, createEmployer),
  get('/employers/:id', EVERY_ROLE, showEmployer),
  get('/employers/:id/edit', EVERY_ROLE, showEditEmployerForm),
  post('/employers/:id/edit', EVERY_ROLE, saveEmployer),
  get('/employers/:id/contacts/new', EVERY_ROLE, showNewEmployerContactForm),
  post('/employers/:id/contacts', EVERY_ROLE, createEmployerContact),
  get('/employers/:id/contacts/:contactId/edit', EVERY_ROLE, showEditEmployerContactForm),
  post('/employers/:id/contacts/:contactId/edit', EVERY_ROLE, saveEmployerContact),
];
