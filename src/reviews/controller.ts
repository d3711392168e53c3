import type { Request } from 'express';
import { notFound } from '../lib/errors';
import { pageFromQuery, pageInfo } from '../lib/pagination';
import { newSubmissionToken } from '../platform/submissions/service';
import type { Services } from '../services';
import type { SignedInResponse } from '../web/context';
import { paramsOr404 } from '../web/params';
import { noticeFrom, postForm, withNotice, type FormState } from '../web/post-form';
import { feedbackFieldOf, listQueryString, NEW_FIELD_LABELS, SAMPLE_NOTICES } from './presentation';
import {
  itemParams,
  PERIOD_DAYS_DEFAULT,
  ReviewItemForm,
  SAMPLE_SIZE_DEFAULT,
  SampleCreateForm,
  SampleListQuery,
  sampleParams,
} from './schemas';
import type { SampleRow } from './service';

/** GET /reviews: the samples drawn of the coaches in the reviewer's scope, filterable by coach. */
export async function listSamples({ reviews }: Services, req: Request, res: SignedInResponse) {
  const filters = SampleListQuery.parse(req.query);
  const page = pageFromQuery(req.query);
  const { rows, total, coaches } = await reviews.samplesPage(res.locals.viewer, filters, page);
  res.render('reviews/list', {
    title: res.locals.t('reviews.list.title'),
    rows,
    coaches,
    filters,
    pagination: pageInfo(page, total, rows.length),
    baseQuery: listQueryString(filters),
  });
}

/** GET /reviews/mine: the feedback reviewers gave on the viewer's own conversations (every role). */
export async function listMyFeedback({ reviews }: Services, req: Request, res: SignedInResponse) {
  const page = pageFromQuery(req.query);
  const { rows, total } = await reviews.myFeedbackPage(res.locals.viewer, page);
  res.render('reviews/mine', {
    title: res.locals.t('reviews.mine.title'),
    rows,
    pagination: pageInfo(page, total, rows.length),
    baseQuery: '',
  });
}

async function renderNew({ reviews }: Services, res: SignedInResponse, status: number, state: FormState) {
  const coaches = await reviews.reviewableCoaches(res.locals.viewer);
  res.status(status).render('reviews/new', {
    title: res.locals.t('reviews.new.title'),
    coaches,
    values: state.values,
    errors: state.errors,
    labels: NEW_FIELD_LABELS,
  });
}

/** GET /reviews/new: the form to draw a sample, its coach preset from ?coach=. */
export async function showNewSampleForm(services: Services, req: Request, res: SignedInResponse) {
  const coach = typeof req.query.coach === 'string' && /^\d{1,9}$/.test(req.query.coach) ? req.query.coach : '';
  const values = {
    coachId: coach,
    size: String(SAMPLE_SIZE_DEFAULT),
    periodDays: String(PERIOD_DAYS_DEFAULT),
    submissionToken: newSubmissionToken(),
  };
  await renderNew(services, res, 200, { values, errors: {} });
}

/** POST /reviews/new: draws the sample; a coach outside the reviewer's scope answers 404. */
export async function drawSample(services: Services, req: Request, res: SignedInResponse) {
  const { clock, config } = services;
  await postForm(req, res, {
    parse: SampleCreateForm,
    render: (status, state) => renderNew(services, res, status, state),
    save: (form) => services.reviews.drawSample(res.locals.viewer, form, clock.now(), config.timeZone),
    saved: (drawn) => withNotice(drawn.path, 'drawn'),
  });
}

/** The sample of the URL, when it is in the reviewer's scope. */
async function sampleOf({ reviews }: Services, req: Request, res: SignedInResponse): Promise<SampleRow> {
  const { sampleId } = paramsOr404(sampleParams, req);
  const sample = await reviews.findSample(res.locals.viewer, sampleId);
  if (!sample) throw notFound();
  return sample;
}

interface SamplePage extends Partial<FormState> {
  notice?: string | null;
}

async function renderSample(services: Services, res: SignedInResponse, sample: SampleRow, status: number, page: SamplePage) {
  const items = await services.reviews.sampleItems(res.locals.viewer, sample.id);
  const errors = page.errors ?? {};
  res.status(status).render('reviews/sample', {
    title: res.locals.t('reviews.sample.title', { coach: sample.coachName }),
    sample,
    items,
    hiddenCount: sample.itemCount - items.length,
    notice: page.notice ?? null,
    values: page.values ?? {},
    errors,
    labels: Object.fromEntries(Object.keys(errors).map((field) => [field, 'reviews.fields.feedback'])),
    feedbackFieldOf,
  });
}

/** GET /reviews/:sampleId: the sample's conversations, each with its feedback form. */
export async function showSample(services: Services, req: Request, res: SignedInResponse) {
  const sample = await sampleOf(services, req, res);
  await renderSample(services, res, sample, 200, { notice: noticeFrom(req, SAMPLE_NOTICES) });
}

/** A refused feedback form, shown at its own item; without a visible item of this sample there is no form: 404. */
async function renderItemForm(
  services: Services,
  res: SignedInResponse,
  target: { sample: SampleRow; itemId: number },
  status: number,
  state: FormState,
) {
  const { sample, itemId } = target;
  const items = await services.reviews.sampleItems(res.locals.viewer, sample.id);
  if (!items.some((item) => item.id === itemId)) throw notFound();
  const field = feedbackFieldOf(itemId);
  await renderSample(services, res, sample, status, {
    values: { [field]: state.values.feedback ?? '' },
    errors: { [field]: state.errors.feedback ?? 'validation.required' },
  });
}

/** POST /reviews/:sampleId/items/:itemId: the reviewer's feedback on one conversation (again: replaces it). */
export async function reviewItem(services: Services, req: Request, res: SignedInResponse) {
  const sample = await sampleOf(services, req, res);
  const { itemId } = paramsOr404(itemParams, req);
  await postForm(req, res, {
    parse: ReviewItemForm,
    render: (status, state) => renderItemForm(services, res, { sample, itemId }, status, state),
    save: ({ feedback }) =>
      services.reviews.reviewItem(res.locals.viewer, { sampleId: sample.id, itemId }, feedback, services.clock.now().toJSDate()),
    saved: () => withNotice(`/reviews/${sample.id}#item-${itemId}`, 'reviewed'),
  });
}
