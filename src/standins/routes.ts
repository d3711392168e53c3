import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../app-deps';
import { FormRejection, notFound } from '../lib/errors';
import { idParam } from '../lib/form-fields';
import { pageFromQuery, pageInfo } from '../lib/pagination';
import { viewerFor, type Viewer } from '../lib/viewer';
import { paramsOr404 } from '../web/params';
import { newSubmissionToken } from '../platform/submissions/service';
import {
  cancelStandin,
  createStandin,
  findStandinToCancel,
  mayArrangeStandins,
  OverlapRejection,
  standinCoachOptions,
  standinOverview,
} from './service';
import { parseStandinForm } from './schemas';

const FIELD_LABELS: Record<string, string> = {
  absentCoachId: 'standins.fields.absentCoach',
  standinCoachId: 'standins.fields.standinCoach',
  startsOn: 'standins.fields.startsOn',
  endsOn: 'standins.fields.endsOn',
  note: 'standins.fields.note',
};

const NOTICES = new Set(['created', 'cancelled']);

export function standinRoutes(deps: AppDeps): Router {
  const router = Router();
  const { db, clock, config } = deps;
  const viewerOf = (req: Request): Viewer => viewerFor(req.user!, clock, config.timeZone);
  const now = () => clock.now().toJSDate();

  router.get('/standins', async (req, res) => {
    const viewer = viewerOf(req);
    const page = pageFromQuery(req.query);
    const overview = await standinOverview(db, viewer, page);
    res.render('standins/list', {
      title: res.locals.t('standins.list.title'),
      overview,
      canArrange: mayArrangeStandins(viewer),
      pagination: pageInfo(page, overview.pastTotal, overview.past.length),
      baseQuery: '',
      notice: typeof req.query.done === 'string' && NOTICES.has(req.query.done) ? req.query.done : null,
    });
  });

  async function renderForm(
    req: Request,
    res: Response,
    status: number,
    values: Record<string, string>,
    errors: Record<string, string> = {},
    overlapping: OverlapRejection['overlapping'] | null = null,
  ) {
    const coaches = await standinCoachOptions(db, viewerOf(req));
    res.status(status).render('standins/form', {
      title: res.locals.t('standins.form.title'),
      values,
      errors,
      labels: FIELD_LABELS,
      coaches,
      overlapping,
    });
  }

  router.get('/standins/new', async (req, res) => {
    const viewer = viewerOf(req);
    if (!mayArrangeStandins(viewer)) throw notFound();
    await renderForm(req, res, 200, {
      submissionToken: newSubmissionToken(),
      absentCoachId: '',
      standinCoachId: '',
      startsOn: res.locals.fmt.dateInput(viewer.today),
      endsOn: '',
      note: '',
    });
  });

  router.post('/standins/new', async (req, res) => {
    const viewer = viewerOf(req);
    if (!mayArrangeStandins(viewer)) throw notFound();
    const form = parseStandinForm(req.body);
    if (!form.ok) return renderForm(req, res, 422, form.values, form.errors);
    try {
      const { submissionToken, ...input } = form.data;
      const outcome = await createStandin(db, viewer, input, submissionToken, now());
      if (outcome.kind === 'duplicate' && !outcome.path) {
        return renderForm(
          req,
          res,
          422,
          { ...form.values, submissionToken: newSubmissionToken() },
          { _form: 'validation.expiredForm' },
        );
      }
      res.redirect(303, outcome.kind === 'created' ? outcome.path.replace('#', '?done=created#') : outcome.path);
    } catch (error) {
      if (error instanceof OverlapRejection) return renderForm(req, res, 422, form.values, error.errors, error.overlapping);
      if (error instanceof FormRejection) return renderForm(req, res, 422, form.values, error.errors);
      throw error;
    }
  });

  async function loadForCancel(req: Request) {
    const params = paramsOr404(idParam, req);
    const found = await findStandinToCancel(db, viewerOf(req), params.id);
    if (!found) throw notFound();
    return found;
  }

  // Cancelling takes access away at once, so it is confirmed on a page of its own first.
  router.get('/standins/:id/cancel', async (req, res) => {
    const { standin, cancellable } = await loadForCancel(req);
    if (!cancellable) return res.redirect(303, '/standins');
    res.render('standins/cancel', { title: res.locals.t('standins.cancel.title'), standin });
  });

  router.post('/standins/:id/cancel', async (req, res) => {
    const params = paramsOr404(idParam, req);
    const outcome = await cancelStandin(db, viewerOf(req), params.id, now());
    if (outcome === 'notFound') throw notFound();
    // A second click on the button finds nothing left to cancel: the list already shows the result.
    res.redirect(303, outcome === 'cancelled' ? '/standins?done=cancelled' : '/standins');
  });

  return router;
}
