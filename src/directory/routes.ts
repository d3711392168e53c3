import type { Services } from '../services';
import { EVERY_ROLE, get, MANAGERS_AND_ADMINS, post, type Route } from '../web/routes';
import {
  createOrganisation,
  listDirectory,
  saveOrganisation,
  showEditOrganisationForm,
  showNewOrganisationForm,
} from './controller';

// Every role reads the directory and adds to it; managers and administrators edit it (service.ts says why).
export const directoryRoutes: Route<Services>[] = [
  get('/directory', EVERY_ROLE, listDirectory),
  get('/directory/new', EVERY_ROLE, showNewOrganisationForm),
  post('/directory/new', EVERY_ROLE, createOrganisation),
  get('/directory/:organisationId/edit', MANAGERS_AND_ADMINS, showEditOrganisationForm),
  post('/directory/:organisationId/edit', MANAGERS_AND_ADMINS, saveOrganisation),
];
