import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../app-deps';
import { FormRejection, notFound } from '../lib/errors';
import { parseForm } from '../lib/forms';
import { pageFromQuery, pageInfo } from '../lib/pagination';
import { paramsOr404 } from '../web/params';
import { viewerFor, type Viewer } from '../lib/viewer';
import { newSubmissionToken } from '../platform/submissions/service';
import {
  drawSample,
  findSample,
  isReviewer,
  myFeedbackPage,
  reviewableCoaches,
  reviewItem,
  sampleItems,
  samplesPage,
  type SampleRow,
} from './service';
import {
  itemParams,
  PERIOD_DAYS_DEFAULT,
  ReviewItemForm,
  SAMPLE_SIZE_DEFAULT,
  SampleCreateForm,
  SampleListQuery,
  sampleParams,
} from './schemas';

const NEW_FIELD_LABELS: Record<string, string> = {
  coachId: 'reviews.fields.coach',
  size: 'reviews.fields.size',
  periodDays: 'reviews.fields.periodDays',
};

const SAMPLE_NOTICES: Record<string, string> = {
  drawn: 'reviews.sample.drawnNotice',
  reviewed: 'reviews.sample.reviewedNotice',
};

/** The feedback field of one item: each item has its own form, so ids must differ per item. */
const feedbackFieldOf = (itemId: number) => `feedback-${itemId}`;

export function reviewRoutes(deps: AppDeps): Router {
  const router = Router();
  const { db, clock, config } = deps;
  const viewerOf = (req: Request): Viewer => viewerFor(req.user!, clock, config.timeZone);

  /** The viewer, if they review coaches at all; 404 for everyone else. */
  function reviewerOr404(req: Request): Viewer {
    const viewer = viewerOf(req);
    if (!isReviewer(viewer)) throw notFound();
    return viewer;
  }

  router.get('/reviews', async (req, res) => {
    const viewer = reviewerOr404(req);
    const filters = SampleListQuery.parse(req.query);
    const page = pageFromQuery(req.query);
    const { rows, total, coaches } = await samplesPage(db, viewer, filters, page);
    res.render('reviews/list', {
      title: res.locals.t('reviews.list.title'),
      rows,
      coaches,
      filters,
      pagination: pageInfo(page, total, rows.length),
      baseQuery: filters.coach ? new URLSearchParams({ coach: String(filters.coach) }).toString() : '',
    });
  });

  router.get('/reviews/mine', async (req, res) => {
    const viewer = viewerOf(req);
    const page = pageFromQuery(req.query);
    const { rows, total } = await myFeedbackPage(db, viewer, page);
    res.render('reviews/mine', {
      title: res.locals.t('reviews.mine.title'),
      rows,
      pagination: pageInfo(page, total, rows.length),
      baseQuery: '',
    });
  });

  async function renderNew(
    res: Response,
    viewer: Viewer,
    status: number,
    values: Record<string, string>,
    errors: Record<string, string> = {},
  ) {
    const coaches = await reviewableCoaches(db, viewer);
    res.status(status).render('reviews/new', {
      title: res.locals.t('reviews.new.title'),
      coaches,
      values,
      errors,
      labels: NEW_FIELD_LABELS,
    });
  }

  router.get('/reviews/new', async (req, res) => {
    const viewer = reviewerOr404(req);
    const coach = typeof req.query.coach === 'string' && /^\d{1,9}$/.test(req.query.coach) ? req.query.coach : '';
    await renderNew(res, viewer, 200, {
      coachId: coach,
      size: String(SAMPLE_SIZE_DEFAULT),
      periodDays: String(PERIOD_DAYS_DEFAULT),
      submissionToken: newSubmissionToken(),
    });
  });

  router.post('/reviews/new', async (req, res) => {
    const viewer = reviewerOr404(req);
    const form = parseForm(SampleCreateForm, req.body);
    if (!form.ok) return renderNew(res, viewer, 422, form.values, form.errors);
    try {
      const outcome = await drawSample(db, viewer, form.data, clock.now(), config.timeZone);
      if (outcome.kind === 'notFound') throw notFound();
      if (outcome.kind === 'duplicate' && !outcome.path) {
        return renderNew(
          res,
          viewer,
          422,
          { ...form.values, submissionToken: newSubmissionToken() },
          { _form: 'validation.expiredForm' },
        );
      }
      res.redirect(303, outcome.kind === 'created' ? `${outcome.path}?done=drawn` : outcome.path);
    } catch (error) {
      if (error instanceof FormRejection) return renderNew(res, viewer, 422, form.values, error.errors);
      throw error;
    }
  });

  async function renderSample(
    res: Response,
    viewer: Viewer,
    sample: SampleRow,
    status: number,
    data: { notice?: string | null; values?: Record<string, string>; errors?: Record<string, string> } = {},
  ) {
    const items = await sampleItems(db, viewer, sample.id);
    const errors = data.errors ?? {};
    res.status(status).render('reviews/sample', {
      title: res.locals.t('reviews.sample.title', { coach: sample.coachName }),
      sample,
      items,
      hiddenCount: sample.itemCount - items.length,
      notice: data.notice ?? null,
      values: data.values ?? {},
      errors,
      labels: Object.fromEntries(Object.keys(errors).map((field) => [field, 'reviews.fields.feedback'])),
      feedbackFieldOf,
    });
  }

  async function sampleOr404(req: Request): Promise<{ viewer: Viewer; sample: SampleRow }> {
    const viewer = reviewerOr404(req);
    const params = paramsOr404(sampleParams, req);
    const sample = await findSample(db, viewer, params.sampleId);
    if (!sample) throw notFound();
    return { viewer, sample };
  }

  router.get('/reviews/:sampleId', async (req, res) => {
    const { viewer, sample } = await sampleOr404(req);
    const notice = typeof req.query.done === 'string' ? (SAMPLE_NOTICES[req.query.done] ?? null) : null;
    await renderSample(res, viewer, sample, 200, { notice });
  });

  router.post('/reviews/:sampleId/items/:itemId', async (req, res) => {
    const { viewer, sample } = await sampleOr404(req);
    const params = paramsOr404(itemParams, req);
    const form = parseForm(ReviewItemForm, req.body);
    if (!form.ok) {
      // Without a visible item of this sample there is no form to show the error at.
      const items = await sampleItems(db, viewer, sample.id);
      if (!items.some((item) => item.id === params.itemId)) throw notFound();
      const field = feedbackFieldOf(params.itemId);
      return renderSample(res, viewer, sample, 422, {
        values: { [field]: form.values.feedback ?? '' },
        errors: { [field]: form.errors.feedback ?? 'validation.required' },
      });
    }
    const outcome = await reviewItem(
      db,
      viewer,
      { sampleId: sample.id, itemId: params.itemId },
      form.data.feedback,
      clock.now().toJSDate(),
    );
    if (outcome.kind === 'notFound') throw notFound();
    res.redirect(303, `/reviews/${sample.id}?done=reviewed#item-${params.itemId}`);
  });

  return router;
}
