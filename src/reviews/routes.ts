import type { Services } from '../services';
import { EVERY_ROLE, get, MANAGERS_AND_ADMINS, post, type Route } from '../web/routes';
import { drawSample, listMyFeedback, listSamples, reviewItem, showNewSampleForm, showSample } from './controller';

export const reviewRoutes: Route<Services>[] = [
  get('/reviews', MANAGERS_AND_ADMINS, listSamples),
  get('/reviews/mine', EVERY_ROLE, listMyFeedback),
  get('/reviews/new', MANAGERS_AND_ADMINS, showNewSampleForm),
  post('/reviews/new', MANAGERS_AND_ADMINS, drawSample),
  get('/reviews/:sampleId', MANAGERS_AND_ADMINS, showSample),
  post('/reviews/:sampleId/items/:itemId', MANAGERS_AND_ADMINS, reviewItem),
];
