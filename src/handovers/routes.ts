import type { Services } from '../services';
import { EVERY_ROLE, get, type Route } from '../web/routes';
import { downloadHandoverPdf, showHandover } from './controller';

/** A handover is read like the trajectory report: by whoever may see the participant, closed ones too. */
export const handoverRoutes: Route<Services>[] = [
  get('/participants/:id/trajectories/:tid/handover', EVERY_ROLE, showHandover),
  get('/participants/:id/trajectories/:tid/handover.pdf', EVERY_ROLE, downloadHandoverPdf),
];
