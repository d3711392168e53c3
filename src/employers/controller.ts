import type { Request } from 'express';
import { EMPLOYER_CONTACT_ROLES, EMPLOYER_SECTORS } from '../db/schema';
import { notFound } from '../lib/errors';
import { idParam } from '../lib/form-fields';
import { pageFromQuery, pageInfo } from '../lib/pagination';
import { newSubmissionToken } from '../platform/submissions/service';
import type { Services } from '../services';
import { renderConflict } from '../web/conflict';
import type { SignedInResponse } from '../web/context';
import { paramsOr404 } from '../web/params';
import { noticeFrom, postForm, withNotice, type FormState, answeredWith } from '../web/post-form';
import {
  CONTACT_LABELS,
  contactValuesOf,
  EMPLOYER_LABELS,
  employerValuesOf,
  listQueryString,
  PROFILE_NOTICES,
  readable,
} from './presentation';
import {
  ContactCreateForm,
  ContactEditForm,
  contactParams,
  EmployerCreateForm,
  EmployerEditForm,
  EmployerListQuery,
} from './schemas';
import type { ContactRecord, EmployerRecord } from './service';

/** The employer of the URL. */
async function employerOf({ employers }: Services, req: Request): Promise<EmployerRecord> {
  const { id } = paramsOr404(idParam, req);
  const employer = await employers.findEmployer(id);
  if (!employer) throw notFound();
  return employer;
}

/** The contact person of the URL, only at the employer of the URL. */
async function contactOf({ employers }: Services, req: Request): Promise<{ employer: EmployerRecord; contact: ContactRecord }> {
  const { id, contactId } = paramsOr404(contactParams, req);
  const employer = await employers.findEmployer(id);
  if (!employer) throw notFound();
  // A contact of another employer is as unknown here as one that does not exist.
  const contact = await employers.findContact(employer.id, contactId);
  if (!contact) throw notFound();
  return { employer, contact };
}

function renderEmployerForm(res: SignedInResponse, status: number, page: FormState & { employer?: EmployerRecord }) {
  const { employer } = page;
  res.status(status).render('employers/form', {
    title: res.locals.t(employer ? 'employers.form.editTitle' : 'employers.form.createTitle'),
    mode: employer ? 'edit' : 'create',
    values: page.values,
    errors: page.errors,
    labels: EMPLOYER_LABELS,
    employer: employer ?? null,
    sectors: EMPLOYER_SECTORS,
  });
}

function renderContactForm(
  res: SignedInResponse,
  status: number,
  page: FormState & { employer: EmployerRecord; contact?: ContactRecord },
) {
  const { contact } = page;
  res.status(status).render('employers/contact-form', {
    title: res.locals.t(contact ? 'employers.contactForm.editTitle' : 'employers.contactForm.createTitle'),
    mode: contact ? 'edit' : 'create',
    employer: page.employer,
    contact: contact ?? null,
    values: page.values,
    errors: page.errors,
    labels: CONTACT_LABELS,
    roles: EMPLOYER_CONTACT_ROLES,
  });
}

/** GET /employers: search and filter by sector, paginated. */
export async function listEmployers({ employers }: Services, req: Request, res: SignedInResponse) {
  const filters = EmployerListQuery.parse(req.query);
  const page = pageFromQuery(req.query);
  const { rows, total, anyEmployers } = await employers.listPage(filters, page);
  res.render('employers/list', {
    title: res.locals.t('employers.list.title'),
    rows,
    filters,
    sectors: EMPLOYER_SECTORS,
    pagination: pageInfo(page, total, rows.length),
    baseQuery: listQueryString(filters),
    isFiltered: Boolean(filters.q || filters.sector),
    anyEmployers,
  });
}

/** GET /employers/new */
export function showNewEmployerForm(_services: Services, _req: Request, res: SignedInResponse) {
  renderEmployerForm(res, 200, { values: { submissionToken: newSubmissionToken(), sector: '' }, errors: {} });
}

/** POST /employers: a second submit of the same form lands on the employer the first stored. */
export async function createEmployer(services: Services, req: Request, res: SignedInResponse) {
  await postForm(req, res, {
    parse: EmployerCreateForm,
    render: (status, state) => renderEmployerForm(res, status, state),
    save: ({ submissionToken, ...input }) =>
      services.employers.createEmployer(res.locals.viewer, input, submissionToken, services.clock.now().toJSDate()),
    saved: (created) => withNotice(created.path, 'created'),
  });
}

/** GET /employers/:id: the employer, its contact persons and the current placements the viewer may see. */
export async function showEmployer({ employers }: Services, req: Request, res: SignedInResponse) {
  const { id } = paramsOr404(idParam, req);
  const profile = await employers.employerProfile(res.locals.viewer, id);
  if (!profile) throw notFound();
  res.render('employers/profile', { title: profile.employer.name, ...profile, notice: noticeFrom(req, PROFILE_NOTICES) });
}

/** GET /employers/:id/edit */
export async function showEditEmployerForm(services: Services, req: Request, res: SignedInResponse) {
  const employer = await employerOf(services, req);
  renderEmployerForm(res, 200, { employer, values: employerValuesOf(employer), errors: {} });
}

/** POST /employers/:id/edit: a stale form gets the conflict page, the sector in words. */
export async function saveEmployer(services: Services, req: Request, res: SignedInResponse) {
  const { viewer, t } = res.locals;
  const employer = await employerOf(services, req);
  await postForm(req, res, {
    parse: EmployerEditForm,
    render: (status, state) => renderEmployerForm(res, status, { ...state, employer }),
    save: (form) => services.employers.updateEmployer(viewer, employer.id, form, services.clock.now().toJSDate()),
    saved: (outcome, { values }) => {
      if (outcome.kind === 'saved') return `/employers/${employer.id}?done=updated`;
      const current = employerValuesOf(outcome.current);
      return answeredWith(
        renderConflict(res, {
          backHref: `/employers/${employer.id}`,
          action: `/employers/${employer.id}/edit`,
          labels: EMPLOYER_LABELS,
          current: readable(current, 'sector', 'employers.sectors', t),
          yours: readable(values, 'sector', 'employers.sectors', t),
          resubmit: { ...values, version: current.version },
        }),
      );
    },
  });
}

/** GET /employers/:id/contacts/new */
export async function showNewEmployerContactForm(services: Services, req: Request, res: SignedInResponse) {
  const employer = await employerOf(services, req);
  renderContactForm(res, 200, { employer, values: { submissionToken: newSubmissionToken(), role: '' }, errors: {} });
}

/** POST /employers/:id/contacts: a second submit of the same form lands on the employer again. */
export async function createEmployerContact(services: Services, req: Request, res: SignedInResponse) {
  const employer = await employerOf(services, req);
  await postForm(req, res, {
    parse: ContactCreateForm,
    render: (status, state) => renderContactForm(res, status, { ...state, employer }),
    save: ({ submissionToken, ...input }) =>
      services.employers.createContact(res.locals.viewer, employer.id, input, submissionToken, services.clock.now().toJSDate()),
    saved: (created) => withNotice(created.path, 'contactCreated'),
  });
}

/** GET /employers/:id/contacts/:contactId/edit */
export async function showEditEmployerContactForm(services: Services, req: Request, res: SignedInResponse) {
  const { employer, contact } = await contactOf(services, req);
  renderContactForm(res, 200, { employer, contact, values: contactValuesOf(contact), errors: {} });
}

/** POST /employers/:id/contacts/:contactId/edit: a stale form gets the conflict page, the role in words. */
export async function saveEmployerContact(services: Services, req: Request, res: SignedInResponse) {
  const { viewer, t } = res.locals;
  const { employer, contact } = await contactOf(services, req);
  await postForm(req, res, {
    parse: ContactEditForm,
    render: (status, state) => renderContactForm(res, status, { ...state, employer, contact }),
    save: (form) => services.employers.updateContact(viewer, employer.id, contact.id, form, services.clock.now().toJSDate()),
    saved: (outcome, { values }) => {
      if (outcome.kind === 'saved') return `/employers/${employer.id}?done=contactUpdated`;
      const current = contactValuesOf(outcome.current);
      return answeredWith(
        renderConflict(res, {
          backHref: `/employers/${employer.id}`,
          action: `/employers/${employer.id}/contacts/${contact.id}/edit`,
          labels: CONTACT_LABELS,
          current: readable(current, 'role', 'employers.contactRoles', t),
          yours: readable(values, 'role', 'employers.contactRoles', t),
          resubmit: { ...values, version: current.version },
        }),
      );
    },
  });
}
