import type { Services } from '../services';
import { ADMINS, EVERY_ROLE, get, MANAGERS_AND_ADMINS, post, type Route } from '../web/routes';
import {
  addCriterion,
  drawSample,
  listMyFeedback,
  listSamples,
  reviewItem,
  saveCriterion,
  showCriteria,
  showEditCriterion,
  showNewSampleForm,
  showSample,
} from './controller';

export const reviewRoutes: Route<Services>[] = [
  get('/reviews', MANAGERS_AND_ADMINS, listSamples),
  get('/reviews/mine', EVERY_ROLE, listMyFeedback),
  get('/reviews/new', MANAGERS_AND_ADMINS, showNewSampleForm),
  post('/reviews/new', MANAGERS_AND_ADMINS, drawSample),
  get('/reviews/:sampleId', MANAGERS_AND_ADMINS, showSample),
  post('/reviews/:sampleId/items/:itemId', MANAGERS_AND_ADMINS, reviewItem),
  // The rubric is the organisation's: administrators define it.
  get('/admin/review-criteria', ADMINS, showCriteria),
  post('/admin/review-criteria', ADMINS, addCriterion),
  get('/admin/review-criteria/:criterionId/edit', ADMINS, showEditCriterion),
  post('/admin/review-criteria/:criterionId/edit', ADMINS, saveCriterion),
];
