import type { Request } from 'express';
import { DateTime } from 'luxon';
import { notFound } from '../lib/errors';
import { pageFromQuery, pageInfo } from '../lib/pagination';
import { newSubmissionToken } from '../platform/submissions/service';
import type { Services } from '../services';
import type { SignedInResponse } from '../web/context';
import { paramsOr404 } from '../web/params';
import { answeredWith, noticeFrom, postForm, withNotice, type FormState } from '../web/post-form';
import { feedbackFieldOf, listQueryString, NEW_FIELD_LABELS, SAMPLE_NOTICES } from './presentation';
import {
  CriterionCreateForm,
  CriterionEditForm,
  criterionParams,
  itemParams,
  PERIOD_DAYS_DEFAULT,
  reviewItemSchema,
  SAMPLE_SIZE_DEFAULT,
  SampleCreateForm,
  SampleListQuery,
  sampleParams,
  scoreField,
  SCORES,
} from './schemas';
import type { CriterionRow, SampleRow } from './service';

/** GET /reviews: the samples drawn of the coaches in the reviewer's scope, filterable by coach. */
export async function listSamples(services: Services, req: Request, res: SignedInResponse) {
  const { reviews } = services;
  const filters = SampleListQuery.parse(req.query);
  const page = pageFromQuery(req.query);
  const [{ rows, total, coaches }, averages] = await Promise.all([
    reviews.samplesPage(res.locals.viewer, filters, page),
    reviews.averagesOverview(res.locals.viewer, services.clock.now(), services.config.timeZone),
  ]);
  res.render('reviews/list', {
    title: res.locals.t('reviews.list.title'),
    rows,
    averages,
    monthLabels: averages.months.map((month) => DateTime.fromISO(month).setLocale(res.locals.locale).toFormat('LLL yyyy')),
    coaches,
    filters,
    pagination: pageInfo(page, total, rows.length),
    baseQuery: listQueryString(filters),
  });
}

/** GET /reviews/mine: the feedback reviewers gave on the viewer's own conversations (every role); opening it reads it. */
export async function listMyFeedback({ reviews, clock }: Services, req: Request, res: SignedInResponse) {
  const page = pageFromQuery(req.query);
  const { rows, total } = await reviews.myFeedbackPage(res.locals.viewer, page, clock.now().toJSDate());
  // The count was read with the user, before this page marked the feedback read.
  res.locals.navigation = res.locals.navigation.map((item) => (item.href === '/reviews/mine' ? { ...item, count: 0 } : item));
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

/** One criterion's radio group of one item: ids differ per item, as each item has its own form. */
const itemScoreField = (itemId: number, criterionId: number) => `item-${itemId}-${scoreField(criterionId)}`;

/** The error summary's label of an item's field: the comment, or a criterion's score. */
function labelOfItemField(field: string, criteria: CriterionRow[]): string {
  return criteria.some((entry) => field.endsWith(`-${scoreField(entry.id)}`))
    ? 'reviews.rubric.score'
    : 'reviews.fields.feedback';
}

interface SamplePage extends Partial<FormState> {
  notice?: string | null;
}

async function renderSample(services: Services, res: SignedInResponse, sample: SampleRow, status: number, page: SamplePage) {
  const [items, criteria] = await Promise.all([
    services.reviews.sampleItems(res.locals.viewer, sample.id),
    services.reviews.activeCriteria(),
  ]);
  const errors = page.errors ?? {};
  res.status(status).render('reviews/sample', {
    title: res.locals.t('reviews.sample.title', { coach: sample.coachName }),
    sample,
    items,
    hiddenCount: sample.itemCount - items.length,
    notice: page.notice ?? null,
    values: page.values ?? {},
    errors,
    labels: Object.fromEntries(Object.keys(errors).map((field) => [field, labelOfItemField(field, criteria)])),
    feedbackFieldOf,
    criteria,
    scores: SCORES,
    itemScoreField,
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
  // The item's own fields under ids of this item (see feedbackFieldOf, itemScoreField).
  const rename = (field: string) => (field === 'feedback' ? feedbackFieldOf(itemId) : `item-${itemId}-${field}`);
  const values = Object.fromEntries(Object.entries(state.values).map(([field, value]) => [rename(field), value]));
  const errors = Object.fromEntries(Object.entries(state.errors).map(([field, message]) => [rename(field), message]));
  await renderSample(services, res, sample, status, { values: { [feedbackFieldOf(itemId)]: '', ...values }, errors });
}

/** POST /reviews/:sampleId/items/:itemId: the reviewer's feedback on one conversation (again: replaces it). */
export async function reviewItem(services: Services, req: Request, res: SignedInResponse) {
  const sample = await sampleOf(services, req, res);
  const { itemId } = paramsOr404(itemParams, req);
  const criteria = await services.reviews.activeCriteria();
  await postForm(req, res, {
    parse: reviewItemSchema(criteria.map((criterion) => criterion.id)),
    render: (status, state) => renderItemForm(services, res, { sample, itemId }, status, state),
    save: (review) =>
      services.reviews.reviewItem(res.locals.viewer, { sampleId: sample.id, itemId }, review, services.clock.now().toJSDate()),
    saved: () => withNotice(`/reviews/${sample.id}#item-${itemId}`, 'reviewed'),
  });
}

const CRITERION_LABELS: Record<string, string> = {
  label: 'reviews.criteria.label',
  description: 'reviews.criteria.description',
  position: 'reviews.criteria.position',
};
const CRITERIA_NOTICES = { created: 'reviews.criteria.created', saved: 'reviews.criteria.saved' } as const;

async function renderCriteria({ reviews }: Services, req: Request, res: SignedInResponse, status: number, state: FormState) {
  const criteria = await reviews.criteriaForAdmin();
  res.status(status).render('reviews/criteria', {
    title: res.locals.t('reviews.criteria.title'),
    criteria,
    values: state.values,
    errors: state.errors,
    labels: CRITERION_LABELS,
    notice: noticeFrom(req, CRITERIA_NOTICES),
  });
}

/** GET /admin/review-criteria: the rubric managers score sampled calls on, and a form to add a criterion. */
export async function showCriteria(services: Services, req: Request, res: SignedInResponse) {
  const values = { label: '', description: '', position: '', submissionToken: newSubmissionToken() };
  await renderCriteria(services, req, res, 200, { values, errors: {} });
}

/** POST /admin/review-criteria */
export async function addCriterion(services: Services, req: Request, res: SignedInResponse) {
  await postForm(req, res, {
    parse: CriterionCreateForm,
    render: (status, state) => renderCriteria(services, req, res, status, state),
    save: (form) => services.reviews.createCriterion(res.locals.viewer, form, services.clock.now().toJSDate()),
    saved: (outcome) => withNotice(outcome.path, 'created'),
  });
}

async function criterionOf({ reviews }: Services, req: Request, res: SignedInResponse): Promise<CriterionRow> {
  const { criterionId } = paramsOr404(criterionParams, req);
  const criterion = await reviews.criterionForAdmin(res.locals.viewer, criterionId);
  if (!criterion) throw notFound();
  return criterion;
}

function renderCriterionForm(
  res: SignedInResponse,
  criterion: CriterionRow,
  status: number,
  state: FormState & { conflict?: boolean },
) {
  res.status(status).render('reviews/criterion-edit', {
    title: res.locals.t('reviews.criteria.editTitle'),
    criterion,
    values: state.values,
    errors: state.errors,
    labels: CRITERION_LABELS,
    conflict: state.conflict ?? false,
  });
}

/** GET /admin/review-criteria/:criterionId/edit */
export async function showEditCriterion(services: Services, req: Request, res: SignedInResponse) {
  const criterion = await criterionOf(services, req, res);
  const values = {
    label: criterion.label,
    description: criterion.description ?? '',
    position: String(criterion.position),
    active: criterion.active ? 'yes' : '',
    version: String(criterion.version),
  };
  renderCriterionForm(res, criterion, 200, { values, errors: {} });
}

/** POST /admin/review-criteria/:criterionId/edit: a stale form shows what is stored now, keeping what was typed. */
export async function saveCriterion(services: Services, req: Request, res: SignedInResponse) {
  const criterion = await criterionOf(services, req, res);
  await postForm(req, res, {
    parse: CriterionEditForm,
    render: (status, state) => renderCriterionForm(res, criterion, status, state),
    save: (form) => services.reviews.saveCriterion(res.locals.viewer, criterion.id, form, services.clock.now().toJSDate()),
    saved: (outcome, { values }) => {
      if (outcome.kind === 'saved') return withNotice(`/admin/review-criteria#criterion-${criterion.id}`, 'saved');
      const current = outcome.current;
      return answeredWith(
        renderCriterionForm(res, current, 409, {
          values: { ...values, version: String(current.version) },
          errors: {},
          conflict: true,
        }),
      );
    },
  });
}
