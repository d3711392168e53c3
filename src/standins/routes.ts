import type { Services } from '../services';
import { EVERY_ROLE, get, MANAGERS_AND_ADMINS, post, type Route } from '../web/routes';
import { arrangeStandin, cancelStandin, listStandins, showCancelStandinForm, showNewStandinForm } from './controller';

// Arranging and cancelling is for managers and admins (mayArrangeStandins); the service still
// limits a manager to their own team.
export const standinRoutes: Route<Services>[] = [
  get('/standins', EVERY_ROLE, listStandins),
  get('/standins/new', MANAGERS_AND_ADMINS, showNewStandinForm),
  post('/standins/new', MANAGERS_AND_ADMINS, arrangeStandin),
  get('/standins/:id/cancel', MANAGERS_AND_ADMINS, showCancelStandinForm),
  post('/standins/:id/cancel', MANAGERS_AND_ADMINS, cancelStandin),
];
