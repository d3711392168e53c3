import type { Services } from '../services';
import { EVERY_ROLE, get, post, type Route } from '../web/routes';
import { downloadReportPdf, saveReportNarrative, showReport } from './controller';

export const trajectoryReportRoutes: Route<Services>[] = [
  get('/participants/:id/trajectories/:tid/report', EVERY_ROLE, showReport),
  get('/participants/:id/trajectories/:tid/report.pdf', EVERY_ROLE, downloadReportPdf),
  post('/participants/:id/trajectories/:tid/report/narrative', EVERY_ROLE, saveReportNarrative),
];
