import type { Request } from 'express';
import type { Services } from '../services';
import type { SignedInResponse } from '../web/context';
import { pageFromQuery } from '../lib/pagination';
import { coachNamesOf, pageQueryFor, sortLinkFor, trendDataOf } from './presentation';
import { CASELOAD_COLUMNS, CaseloadQuery } from './schemas';

/** GET /dashboard/caseloads: each coach's caseload health, sortable by column, with the red/amber trend. */
export async function showCaseloads(services: Services, req: Request, res: SignedInResponse) {
  const { viewer, t, fmt } = res.locals;
  const { clock, config } = services;
  const query = CaseloadQuery.parse(req.query);
  const overview = await services.caseloads.caseloadOverview(
    viewer,
    query,
    pageFromQuery(req.query),
    clock.now(),
    config.timeZone,
  );
  const coachNames = coachNamesOf(overview);
  res.render('caseloads/index', {
    title: t('caseloads.title'),
    overview,
    query,
    columns: CASELOAD_COLUMNS,
    sortLink: sortLinkFor(query, viewer),
    pagination: overview.pagination,
    baseQuery: pageQueryFor(query, viewer),
    coachNames,
    trendData: trendDataOf(overview, coachNames, t, fmt),
    todayDate: clock.now().setZone(config.timeZone),
  });
}
