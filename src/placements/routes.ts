import type { Services } from '../services';
import { EVERY_ROLE, get, post, type Route } from '../web/routes';
import {
  changeHours,
  createPlacement,
  endPlacement,
  pausePlacement,
  resumePlacement,
  savePlacement,
  showEditPlacementForm,
  showEndForm,
  showHoursForm,
  showNewPlacementForm,
  showPauseForm,
  showResumeForm,
} from './controller';

/** Placements change only while their participant is open: every route answers 404 for a closed one. */
export const placementRoutes: Route<Services>[] = [
  get('/participants/:id/placements/new', EVERY_ROLE, showNewPlacementForm, { participant: 'open' }),
  post('/participants/:id/placements/new', EVERY_ROLE, createPlacement, { participant: 'open' }),
  get('/participants/:id/placements/:placementId/edit', EVERY_ROLE, showEditPlacementForm, { participant: 'open' }),
  post('/participants/:id/placements/:placementId/edit', EVERY_ROLE, savePlacement, { participant: 'open' }),
  get('/participants/:id/placements/:placementId/pause', EVERY_ROLE, showPauseForm, { participant: 'open' }),
  post('/participants/:id/placements/:placementId/pause', EVERY_ROLE, pausePlacement, { participant: 'open' }),
  get('/participants/:id/placements/:placementId/resume', EVERY_ROLE, showResumeForm, { participant: 'open' }),
  post('/participants/:id/placements/:placementId/resume', EVERY_ROLE, resumePlacement, { participant: 'open' }),
  get('/participants/:id/placements/:placementId/end', EVERY_ROLE, showEndForm, { participant: 'open' }),
  post('/participants/:id/placements/:placementId/end', EVERY_ROLE, endPlacement, { participant: 'open' }),
  get('/participants/:id/placements/:placementId/hours', EVERY_ROLE, showHoursForm, { participant: 'open' }),
  post('/participants/:id/placements/:placementId/hours', EVERY_ROLE, changeHours, { participant: 'open' }),
];
