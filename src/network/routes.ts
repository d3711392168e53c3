import type { Services } from '../services';
import { EVERY_ROLE, get, post, type Route } from '../web/routes';
import {
  createNetworkPerson,
  endNetworkPerson,
  saveNetworkPerson,
  showEditNetworkPersonForm,
  showEndNetworkPersonForm,
  showNewNetworkPersonForm,
} from './controller';

// Who may: whoever may see the participant (the parent router's access rule: the coach of the
// caseload or their stand-in, the team's managers, an administrator), only while it is open.
export const networkRoutes: Route<Services>[] = [
  get('/participants/:id/network/new', EVERY_ROLE, showNewNetworkPersonForm, { participant: 'open' }),
  post('/participants/:id/network/new', EVERY_ROLE, createNetworkPerson, { participant: 'open' }),
  get('/participants/:id/network/:personId/edit', EVERY_ROLE, showEditNetworkPersonForm, { participant: 'open' }),
  post('/participants/:id/network/:personId/edit', EVERY_ROLE, saveNetworkPerson, { participant: 'open' }),
  get('/participants/:id/network/:personId/end', EVERY_ROLE, showEndNetworkPersonForm, { participant: 'open' }),
  post('/participants/:id/network/:personId/end', EVERY_ROLE, endNetworkPerson, { participant: 'open' }),
];
