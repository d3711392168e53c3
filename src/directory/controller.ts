import type { Request } from 'express';
import { ORGANISATION_KINDS } from '../db/schema';
import { notFound } from '../lib/errors';
import { pageFromQuery, pageInfo } from '../lib/pagination';
import { newSubmissionToken } from '../platform/submissions/service';
import type { Services } from '../services';
import { renderConflict } from '../web/conflict';
import type { SignedInResponse } from '../web/context';
import { paramsOr404 } from '../web/params';
import { answeredWith, noticeFrom, postForm, withNotice, type FormState } from '../web/post-form';
import { EDIT_FIELDS, FIELD_LABELS, formValuesOf, LIST_NOTICES, listQueryString, readableValues } from './presentation';
import { DirectoryListQuery, OrganisationCreateForm, OrganisationEditForm, OrganisationParams } from './schemas';
import { mayEditOrganisations, type OrganisationRecord } from './service';

const LIST = '/directory';

async function organisationOf({ directory }: Services, req: Request): Promise<OrganisationRecord> {
  const { organisationId } = paramsOr404(OrganisationParams, req);
  const organisation = await directory.findOrganisation(organisationId);
  if (!organisation) throw notFound();
  return organisation;
}

function renderForm(res: SignedInResponse, status: number, page: FormState & { organisation?: OrganisationRecord }) {
  const { t } = res.locals;
  res.status(status).render('directory/form', {
    title: t(page.organisation ? 'directory.form.editTitle' : 'directory.form.createTitle'),
    mode: page.organisation ? 'edit' : 'create',
    organisation: page.organisation ?? null,
    kinds: ORGANISATION_KINDS,
    values: page.values,
    errors: page.errors,
    labels: FIELD_LABELS,
  });
}

/** GET /directory: the referral directory, searched by name or region and filtered by kind, paginated. */
export async function listDirectory({ directory }: Services, req: Request, res: SignedInResponse) {
  const filters = DirectoryListQuery.parse(req.query);
  const page = pageFromQuery(req.query);
  const { rows, total } = await directory.listPage(filters, page);
  res.render('directory/list', {
    title: res.locals.t('directory.list.title'),
    rows,
    filters,
    kinds: ORGANISATION_KINDS,
    pagination: pageInfo(page, total, rows.length),
    baseQuery: listQueryString(filters),
    isFiltered: Boolean(filters.q || filters.kind),
    mayEdit: mayEditOrganisations(res.locals.viewer),
    notice: noticeFrom(req, LIST_NOTICES),
  });
}

/** GET /directory/new */
export function showNewOrganisationForm(_services: Services, _req: Request, res: SignedInResponse) {
  renderForm(res, 200, { values: { submissionToken: newSubmissionToken(), kind: '' }, errors: {} });
}

/** POST /directory/new: a second submit of the same form lands on what the first stored. */
export async function createOrganisation(services: Services, req: Request, res: SignedInResponse) {
  await postForm(req, res, {
    parse: OrganisationCreateForm,
    render: (status, state) => renderForm(res, status, state),
    save: ({ submissionToken, ...input }) =>
      services.directory.createOrganisation(res.locals.viewer, input, submissionToken, services.clock.now().toJSDate()),
    saved: (created) => withNotice(created.path, 'created'),
  });
}

/** GET /directory/:organisationId/edit (managers and administrators) */
export async function showEditOrganisationForm(services: Services, req: Request, res: SignedInResponse) {
  const organisation = await organisationOf(services, req);
  renderForm(res, 200, { organisation, values: formValuesOf(organisation), errors: {} });
}

/** POST /directory/:organisationId/edit: a stale form gets the conflict page. */
export async function saveOrganisation(services: Services, req: Request, res: SignedInResponse) {
  const { viewer, t } = res.locals;
  const organisation = await organisationOf(services, req);
  const action = `${LIST}/${organisation.id}/edit`;
  await postForm(req, res, {
    parse: OrganisationEditForm,
    render: (status, state) => renderForm(res, status, { ...state, organisation }),
    save: (form) => services.directory.updateOrganisation(viewer, organisation.id, form, services.clock.now().toJSDate()),
    saved: (outcome, { values }) => {
      if (outcome.kind === 'saved') return withNotice(`${LIST}#organisation-${organisation.id}`, 'updated');
      const current = formValuesOf(outcome.current);
      return answeredWith(
        renderConflict(res, {
          backHref: LIST,
          action,
          labels: FIELD_LABELS,
          fields: EDIT_FIELDS,
          current: readableValues(current, t),
          yours: readableValues(values, t),
          resubmit: { ...values, version: current.version },
        }),
      );
    },
  });
}
