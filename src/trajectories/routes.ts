import type { Services } from '../services';
import { EVERY_ROLE, get, post, type Route } from '../web/routes';
import {
  closeTrajectory,
  createTrajectory,
  saveTrajectory,
  showCloseTrajectoryForm,
  showEditTrajectoryForm,
  showNewTrajectoryForm,
} from './controller';

/** Trajectories are changed from the profile of an open participant: a closed one gets no new or changed trajectories. */
export const trajectoryRoutes: Route<Services>[] = [
  get('/participants/:id/trajectories/new', EVERY_ROLE, showNewTrajectoryForm, { participant: 'open' }),
  post('/participants/:id/trajectories/new', EVERY_ROLE, createTrajectory, { participant: 'open' }),
  get('/participants/:id/trajectories/:tid/edit', EVERY_ROLE, showEditTrajectoryForm, { participant: 'open' }),
  post('/participants/:id/trajectories/:tid/edit', EVERY_ROLE, saveTrajectory, { participant: 'open' }),
  get('/participants/:id/trajectories/:tid/close', EVERY_ROLE, showCloseTrajectoryForm, { participant: 'open' }),
  post('/participants/:id/trajectories/:tid/close', EVERY_ROLE, closeTrajectory, { participant: 'open' }),
];
