import type { Services } from '../services';
import { COACHES, get, post, type Route } from '../web/routes';
import { answerRequest, askForSupport, listRequests, showNewRequestForm, showRequest } from './controller';

// Coaches ask (about a participant they may see); managers of the coach's team read and answer.
// An administrator is no team leader: 404, like any page of another role.
const COACHES_AND_MANAGERS = ['coach', 'manager'] as const;

export const supportRoutes: Route<Services>[] = [
  get('/participants/:id/support/new', COACHES, showNewRequestForm),
  post('/participants/:id/support/new', COACHES, askForSupport),
  get('/support', COACHES_AND_MANAGERS, listRequests),
  get('/support/:requestId', COACHES_AND_MANAGERS, showRequest),
  post('/support/:requestId/answer', ['manager'], answerRequest),
];
