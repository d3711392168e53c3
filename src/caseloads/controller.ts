import type { Request } from 'express';
import type { Services } from '../services';
import type { SignedInResponse } from '../web/context';
import { pageFromQuery } from '../lib/pagination';
import { notFound } from '../lib/errors';
import { answeredWith, noticeFrom, postForm, withNotice, type FormState } from '../web/post-form';
import { renderConflict } from '../web/conflict';
import {
  coachNamesOf,
  coachTrendDataOf,
  pageQueryFor,
  sortLinkFor,
  THRESHOLD_LABELS,
  thresholdValuesOf,
  trendDataOf,
} from './presentation';
import { CASELOAD_COLUMNS, CaseloadQuery, CaseloadThresholdsForm, THRESHOLD_FIELDS, THRESHOLD_RANGES } from './schemas';

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

/** GET /dashboard/caseloads/coaches/:coachId: one coach's red/amber trend over 12 weeks, chart and table. */
export async function showCoachTrend(services: Services, req: Request, res: SignedInResponse) {
  const { viewer, t, fmt } = res.locals;
  const coachId = /^\d{1,9}$/.test(String(req.params.coachId)) ? Number(req.params.coachId) : NaN;
  if (!Number.isSafeInteger(coachId)) throw notFound();
  const found = await services.caseloads.coachTrend(viewer, coachId, services.clock.now(), services.config.timeZone);
  if (!found) throw notFound();
  res.render('caseloads/coach', {
    title: t('caseloads.coachTrend.title', { name: found.coach.displayName }),
    coach: found.coach,
    trend: found.trend,
    trendData: coachTrendDataOf(found, t, fmt),
  });
}

const THRESHOLD_NOTICES = { saved: 'caseloads.thresholds.saved' } as const;

async function renderThresholds(services: Services, req: Request, res: SignedInResponse, status: number, state?: FormState) {
  const record = await services.caseloads.caseloadThresholds();
  res.status(status).render('caseloads/thresholds', {
    title: res.locals.t('caseloads.thresholds.title'),
    record,
    values: state?.values ?? thresholdValuesOf(record),
    errors: state?.errors ?? {},
    labels: THRESHOLD_LABELS,
    fields: THRESHOLD_FIELDS,
    ranges: THRESHOLD_RANGES,
    notice: noticeFrom(req, THRESHOLD_NOTICES),
  });
}

/** GET /admin/settings/caseloads: the thresholds at which the caseload page marks a cell. */
export async function showCaseloadThresholds(services: Services, req: Request, res: SignedInResponse) {
  await renderThresholds(services, req, res, 200);
}

/** POST /admin/settings/caseloads: saved against the version the form was loaded at; a stale form gets the conflict page. */
export async function saveCaseloadThresholds(services: Services, req: Request, res: SignedInResponse) {
  await postForm(req, res, {
    parse: CaseloadThresholdsForm,
    render: (status, state) => renderThresholds(services, req, res, status, state),
    save: (form) => services.caseloads.saveCaseloadThresholds(res.locals.viewer, form, services.clock.now().toJSDate()),
    saved: (outcome, { data }) => {
      if (outcome.kind === 'saved') return withNotice('/admin/settings/caseloads', 'saved');
      const current = thresholdValuesOf(outcome.current);
      const yours = thresholdValuesOf({ ...data, version: outcome.current.version });
      return answeredWith(
        renderConflict(res, {
          backHref: '/admin/settings/caseloads',
          action: '/admin/settings/caseloads',
          labels: THRESHOLD_LABELS,
          current,
          yours,
          resubmit: yours,
        }),
      );
    },
  });
}
