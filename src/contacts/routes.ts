import type { Services } from '../services';
import { EVERY_ROLE, get, post, type Route } from '../web/routes';
import { addAddendum, logContact, saveContact, showContact, showEditContactForm, showNewContactForm } from './controller';

export const contactRoutes: Route<Services>[] = [
  get('/participants/:id/contacts/new', EVERY_ROLE, showNewContactForm, { participant: 'open' }),
  post('/participants/:id/contacts/new', EVERY_ROLE, logContact, { participant: 'open' }),
  get('/participants/:id/contacts/:contactId', EVERY_ROLE, showContact),
  post('/participants/:id/contacts/:contactId/addenda', EVERY_ROLE, addAddendum, { participant: 'open' }),
  get('/participants/:id/contacts/:contactId/edit', EVERY_ROLE, showEditContactForm, { participant: 'open' }),
  post('/participants/:id/contacts/:contactId/edit', EVERY_ROLE, saveContact, { participant: 'open' }),
];
