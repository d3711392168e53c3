import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../app-deps';
import { requireRole } from '../auth/guards';
import { FormRejection, notFound } from '../lib/errors';
import { idParam } from '../lib/form-fields';
import { parseForm } from '../lib/forms';
import { pageFromQuery, pageInfo } from '../lib/pagination';
import type { Translate } from '../platform/i18n';
import { renderConflict } from '../web/conflict';
import { paramsOr404 } from '../web/params';
import { newSubmissionToken } from '../platform/submissions/service';
import {
  createCommissioner,
  findCommissioner,
  listCommissionersPage,
  setCommissionerActiveFlag,
  trajectoryCountOf,
  updateCommissioner,
  type CommissionerRecord,
} from './service';
import { CommissionerCreateForm, CommissionerEditForm } from './schemas';
import { COMMISSIONER_KINDS } from '../db/schema';

const FIELD_LABELS: Record<string, string> = {
  name: 'commissioners.fields.name',
  kind: 'commissioners.fields.kind',
};

const LIST_NOTICES = ['created', 'updated', 'deactivated', 'reactivated'];

function formValuesOf(commissioner: CommissionerRecord): Record<string, string> {
  return { name: commissioner.name, kind: commissioner.kind, version: String(commissioner.version) };
}

/** What the conflict page shows: the kind as its label, so both columns read the same way. */
function displayValuesOf(values: { name: string; kind: string }, t: Translate): Record<string, string> {
  return {
    name: values.name,
    kind: (COMMISSIONER_KINDS as readonly string[]).includes(values.kind) ? t(`commissioners.kinds.${values.kind}`) : values.kind,
  };
}

/** Administration of commissioners, mounted under /admin. Only administrators; anyone else gets 404. */
export function commissionerRoutes(deps: AppDeps): Router {
  const router = Router();
  const { db, clock } = deps;
  const now = () => clock.now().toJSDate();
  // Guard only this feature's paths: other routers share the /admin mount.
  router.use('/commissioners', requireRole('admin'));

  async function loadOr404(req: Request): Promise<CommissionerRecord> {
    const params = paramsOr404(idParam, req);
    const commissioner = await findCommissioner(db, params.id);
    if (!commissioner) throw notFound();
    return commissioner;
  }

  function renderForm(
    res: Response,
    status: number,
    data: {
      mode: 'create' | 'edit';
      values: Record<string, string>;
      errors?: Record<string, string>;
      commissioner?: CommissionerRecord;
    },
  ) {
    res.status(status).render('commissioners/form', {
      title: res.locals.t(data.mode === 'create' ? 'commissioners.form.createTitle' : 'commissioners.form.editTitle'),
      mode: data.mode,
      values: data.values,
      errors: data.errors ?? {},
      labels: FIELD_LABELS,
      commissioner: data.commissioner ?? null,
      kinds: COMMISSIONER_KINDS,
    });
  }

  router.get('/commissioners', async (req, res) => {
    const page = pageFromQuery(req.query);
    const { rows, total } = await listCommissionersPage(db, page);
    const done = typeof req.query.done === 'string' && LIST_NOTICES.includes(req.query.done) ? req.query.done : null;
    res.render('commissioners/list', {
      title: res.locals.t('commissioners.list.title'),
      rows,
      pagination: pageInfo(page, total, rows.length),
      baseQuery: '',
      notice: done,
    });
  });

  router.get('/commissioners/new', (_req, res) => {
    renderForm(res, 200, { mode: 'create', values: { submissionToken: newSubmissionToken(), name: '', kind: '' } });
  });

  router.post('/commissioners', async (req, res) => {
    const form = parseForm(CommissionerCreateForm, req.body);
    if (!form.ok) return renderForm(res, 422, { mode: 'create', values: form.values, errors: form.errors });
    try {
      const { submissionToken, ...input } = form.data;
      const outcome = await createCommissioner(db, req.user!.id, input, submissionToken, now());
      if (outcome.kind === 'duplicate' && !outcome.path) {
        return renderForm(res, 422, {
          mode: 'create',
          values: { ...form.values, submissionToken: newSubmissionToken() },
          errors: { _form: 'validation.expiredForm' },
        });
      }
      res.redirect(303, outcome.kind === 'created' ? `${outcome.path}?done=created` : outcome.path);
    } catch (error) {
      if (error instanceof FormRejection)
        return renderForm(res, 422, { mode: 'create', values: form.values, errors: error.errors });
      throw error;
    }
  });

  router.get('/commissioners/:id/edit', async (req, res) => {
    const commissioner = await loadOr404(req);
    renderForm(res, 200, { mode: 'edit', values: formValuesOf(commissioner), commissioner });
  });

  router.post('/commissioners/:id/edit', async (req, res) => {
    const commissioner = await loadOr404(req);
    const form = parseForm(CommissionerEditForm, req.body);
    if (!form.ok) return renderForm(res, 422, { mode: 'edit', values: form.values, errors: form.errors, commissioner });
    try {
      const outcome = await updateCommissioner(db, req.user!.id, commissioner.id, form.data, now());
      if (outcome.kind === 'notFound') throw notFound();
      if (outcome.kind === 'conflict') {
        const t = res.locals.t as Translate;
        return renderConflict(res, {
          backHref: '/admin/commissioners',
          action: `/admin/commissioners/${commissioner.id}/edit`,
          labels: FIELD_LABELS,
          current: displayValuesOf(outcome.current, t),
          yours: displayValuesOf(form.data, t),
          resubmit: { name: form.values.name ?? '', kind: form.values.kind ?? '', version: String(outcome.current.version) },
        });
      }
      res.redirect(303, '/admin/commissioners?done=updated');
    } catch (error) {
      if (error instanceof FormRejection) {
        return renderForm(res, 422, { mode: 'edit', values: form.values, errors: error.errors, commissioner });
      }
      throw error;
    }
  });

  // Deactivating changes what coaches can choose, so it is confirmed first; reactivating is harmless.
  router.get('/commissioners/:id/deactivate', async (req, res) => {
    const commissioner = await loadOr404(req);
    if (!commissioner.active) return res.redirect(303, '/admin/commissioners');
    res.render('commissioners/deactivate', {
      title: res.locals.t('commissioners.deactivate.title'),
      commissioner,
      trajectoryCount: await trajectoryCountOf(db, commissioner.id),
    });
  });

  router.post('/commissioners/:id/deactivate', async (req, res) => {
    const commissioner = await loadOr404(req);
    await setCommissionerActiveFlag(db, req.user!.id, commissioner.id, false, now());
    res.redirect(303, '/admin/commissioners?done=deactivated');
  });

  router.post('/commissioners/:id/reactivate', async (req, res) => {
    const commissioner = await loadOr404(req);
    await setCommissionerActiveFlag(db, req.user!.id, commissioner.id, true, now());
    res.redirect(303, '/admin/commissioners?done=reactivated');
  });

  return router;
}
