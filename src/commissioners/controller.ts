import type { Request } from 'express';
import { COMMISSIONER_KINDS } from '../db/schema';
import { notFound } from '../lib/errors';
import { idParam } from '../lib/form-fields';
import { pageFromQuery, pageInfo } from '../lib/pagination';
import { newSubmissionToken } from '../platform/submissions/service';
import type { Services } from '../services';
import { renderConflict } from '../web/conflict';
import type { SignedInResponse } from '../web/context';
import { paramsOr404 } from '../web/params';
import { noticeFrom, postForm, withNotice, type FormState, answeredWith } from '../web/post-form';
import { displayValuesOf, FIELD_LABELS, formValuesOf, LIST_NOTICES } from './presentation';
import { CommissionerCreateForm, CommissionerEditForm } from './schemas';
import type { CommissionerRecord } from './service';

const LIST = '/admin/commissioners';

/** The commissioner of the URL. */
async function commissionerOf({ commissioners }: Services, req: Request): Promise<CommissionerRecord> {
  const { id } = paramsOr404(idParam, req);
  const commissioner = await commissioners.findCommissioner(id);
  if (!commissioner) throw notFound();
  return commissioner;
}

function renderForm(res: SignedInResponse, status: number, page: FormState & { commissioner?: CommissionerRecord }) {
  const { commissioner } = page;
  res.status(status).render('commissioners/form', {
    title: res.locals.t(commissioner ? 'commissioners.form.editTitle' : 'commissioners.form.createTitle'),
    mode: commissioner ? 'edit' : 'create',
    values: page.values,
    errors: page.errors,
    labels: FIELD_LABELS,
    commissioner: commissioner ?? null,
    kinds: COMMISSIONER_KINDS,
  });
}

/** GET /admin/commissioners */
export async function listCommissioners({ commissioners }: Services, req: Request, res: SignedInResponse) {
  const page = pageFromQuery(req.query);
  const { rows, total } = await commissioners.listCommissionersPage(page);
  res.render('commissioners/list', {
    title: res.locals.t('commissioners.list.title'),
    rows,
    pagination: pageInfo(page, total, rows.length),
    baseQuery: '',
    notice: noticeFrom(req, LIST_NOTICES),
  });
}

/** GET /admin/commissioners/new */
export function showNewCommissionerForm(_services: Services, _req: Request, res: SignedInResponse) {
  renderForm(res, 200, { values: { submissionToken: newSubmissionToken(), name: '', kind: '' }, errors: {} });
}

/** POST /admin/commissioners: a name already in use (in any case) is refused at the field. */
export async function createCommissioner(services: Services, req: Request, res: SignedInResponse) {
  await postForm(req, res, {
    parse: CommissionerCreateForm,
    render: (status, state) => renderForm(res, status, state),
    save: ({ submissionToken, ...input }) =>
      services.commissioners.createCommissioner(
        res.locals.viewer.userId,
        input,
        submissionToken,
        services.clock.now().toJSDate(),
      ),
    saved: (created) => withNotice(created.path, 'created'),
  });
}

/** GET /admin/commissioners/:id/edit */
export async function showEditCommissionerForm(services: Services, req: Request, res: SignedInResponse) {
  const commissioner = await commissionerOf(services, req);
  renderForm(res, 200, { commissioner, values: formValuesOf(commissioner), errors: {} });
}

/** POST /admin/commissioners/:id/edit: a stale form gets the conflict page, the kind in words. */
export async function saveCommissioner(services: Services, req: Request, res: SignedInResponse) {
  const { viewer, t } = res.locals;
  const commissioner = await commissionerOf(services, req);
  await postForm(req, res, {
    parse: CommissionerEditForm,
    render: (status, state) => renderForm(res, status, { ...state, commissioner }),
    save: (form) =>
      services.commissioners.updateCommissioner(viewer.userId, commissioner.id, form, services.clock.now().toJSDate()),
    // The conflict page compares the form as it was read (trimmed) with the stored one.
    saved: (outcome, { values, data }) => {
      if (outcome.kind === 'saved') return withNotice(LIST, 'updated');
      return answeredWith(
        renderConflict(res, {
          backHref: LIST,
          action: `${LIST}/${commissioner.id}/edit`,
          labels: FIELD_LABELS,
          current: displayValuesOf(outcome.current, t),
          yours: displayValuesOf(data, t),
          resubmit: { name: values.name ?? '', kind: values.kind ?? '', version: String(outcome.current.version) },
        }),
      );
    },
  });
}

/** GET /admin/commissioners/:id/deactivate: it changes what coaches can choose, so it is confirmed first. */
export async function showDeactivateCommissionerForm(services: Services, req: Request, res: SignedInResponse) {
  const commissioner = await commissionerOf(services, req);
  if (!commissioner.active) return res.redirect(303, LIST);
  res.render('commissioners/deactivate', {
    title: res.locals.t('commissioners.deactivate.title'),
    commissioner,
    trajectoryCount: await services.commissioners.trajectoryCountOf(commissioner.id),
  });
}

/** POST /admin/commissioners/:id/deactivate: existing trajectories keep it; a second click changes nothing. */
export async function deactivateCommissioner(services: Services, req: Request, res: SignedInResponse) {
  const commissioner = await commissionerOf(services, req);
  const now = services.clock.now().toJSDate();
  await services.commissioners.setCommissionerActiveFlag(res.locals.viewer.userId, commissioner.id, false, now);
  res.redirect(303, withNotice(LIST, 'deactivated'));
}

/** POST /admin/commissioners/:id/reactivate: harmless, so without a confirmation. */
export async function reactivateCommissioner(services: Services, req: Request, res: SignedInResponse) {
  const commissioner = await commissionerOf(services, req);
  const now = services.clock.now().toJSDate();
  await services.commissioners.setCommissionerActiveFlag(res.locals.viewer.userId, commissioner.id, true, now);
  res.redirect(303, withNotice(LIST, 'reactivated'));
}
