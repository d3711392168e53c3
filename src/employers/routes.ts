import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../app-deps';
import { notFound } from '../lib/errors';
import { idParam } from '../lib/form-fields';
import { parseForm } from '../lib/forms';
import { pageFromQuery, pageInfo } from '../lib/pagination';
import { viewerFor, type Viewer } from '../lib/viewer';
import { renderConflict } from '../web/conflict';
import { paramsOr404 } from '../web/params';
import { newSubmissionToken, type SubmissionOutcome } from '../platform/submissions/service';
import { EMPLOYER_CONTACT_ROLES, EMPLOYER_SECTORS } from '../db/schema';
import {
  createContact,
  createEmployer,
  employerProfile,
  findContact,
  findEmployer,
  listPage,
  updateContact,
  updateEmployer,
  type ContactRecord,
  type EmployerRecord,
} from './service';
import {
  ContactCreateForm,
  ContactEditForm,
  EmployerCreateForm,
  EmployerEditForm,
  EmployerListQuery,
  contactParams,
} from './schemas';

const EMPLOYER_LABELS: Record<string, string> = {
  name: 'employers.fields.name',
  sector: 'employers.fields.sector',
  addressLine: 'employers.fields.addressLine',
  postalCode: 'employers.fields.postalCode',
  city: 'employers.fields.city',
  phone: 'employers.fields.phone',
  notes: 'employers.fields.notes',
};

const CONTACT_LABELS: Record<string, string> = {
  name: 'employers.contactFields.name',
  role: 'employers.contactFields.role',
  jobTitle: 'employers.contactFields.jobTitle',
  phone: 'employers.contactFields.phone',
  email: 'employers.contactFields.email',
};

/** The form's fields as the person sees them, for the edit form and the conflict page. */
function employerValuesOf(employer: EmployerRecord): Record<string, string> {
  return {
    name: employer.name,
    sector: employer.sector,
    addressLine: employer.addressLine ?? '',
    postalCode: employer.postalCode ?? '',
    city: employer.city ?? '',
    phone: employer.phone ?? '',
    notes: employer.notes ?? '',
    version: String(employer.version),
  };
}

function contactValuesOf(contact: ContactRecord): Record<string, string> {
  return {
    name: contact.name,
    role: contact.role,
    jobTitle: contact.jobTitle ?? '',
    phone: contact.phone ?? '',
    email: contact.email ?? '',
    version: String(contact.version),
  };
}

/** The conflict page compares what people read, so choice fields show their label, not their code. */
function readable(values: Record<string, string>, field: string, labelPrefix: string, t: (key: string) => string) {
  const value = values[field];
  return value ? { ...values, [field]: t(`${labelPrefix}.${value}`) } : values;
}

export function employerRoutes(deps: AppDeps): Router {
  const router = Router();
  const { db, clock, config } = deps;
  const viewerOf = (req: Request): Viewer => viewerFor(req.user!, clock, config.timeZone);
  const now = () => clock.now().toJSDate();

  async function employerOr404(req: Request): Promise<EmployerRecord> {
    const params = paramsOr404(idParam, req);
    const employer = await findEmployer(db, params.id);
    if (!employer) throw notFound();
    return employer;
  }

  async function contactOr404(req: Request): Promise<{ employer: EmployerRecord; contact: ContactRecord }> {
    const params = paramsOr404(contactParams, req);
    const employer = await findEmployer(db, params.id);
    if (!employer) throw notFound();
    // A contact of another employer is as unknown here as one that does not exist.
    const contact = await findContact(db, employer.id, params.contactId);
    if (!contact) throw notFound();
    return { employer, contact };
  }

  function renderEmployerForm(
    res: Response,
    status: number,
    data: { mode: 'create' | 'edit'; values: Record<string, string>; errors?: Record<string, string>; employer?: EmployerRecord },
  ) {
    res.status(status).render('employers/form', {
      title: res.locals.t(data.mode === 'create' ? 'employers.form.createTitle' : 'employers.form.editTitle'),
      mode: data.mode,
      values: data.values,
      errors: data.errors ?? {},
      labels: EMPLOYER_LABELS,
      employer: data.employer ?? null,
      sectors: EMPLOYER_SECTORS,
    });
  }

  function renderContactForm(
    res: Response,
    status: number,
    data: {
      mode: 'create' | 'edit';
      employer: EmployerRecord;
      values: Record<string, string>;
      errors?: Record<string, string>;
      contact?: ContactRecord;
    },
  ) {
    res.status(status).render('employers/contact-form', {
      title: res.locals.t(data.mode === 'create' ? 'employers.contactForm.createTitle' : 'employers.contactForm.editTitle'),
      mode: data.mode,
      employer: data.employer,
      contact: data.contact ?? null,
      values: data.values,
      errors: data.errors ?? {},
      labels: CONTACT_LABELS,
      roles: EMPLOYER_CONTACT_ROLES,
    });
  }

  /** Where a create form lands: the new record, the first submit's record, or the form again when the token is spent. */
  function redirectAfterCreate(res: Response, outcome: SubmissionOutcome<number>, done: string, retry: () => void) {
    if (outcome.kind === 'duplicate' && !outcome.path) return retry();
    res.redirect(303, outcome.kind === 'created' ? `${outcome.path}?done=${done}` : outcome.path);
  }

  router.get('/employers', async (req, res) => {
    const filters = EmployerListQuery.parse(req.query);
    const page = pageFromQuery(req.query);
    const { rows, total, anyEmployers } = await listPage(db, filters, page);
    const query = new URLSearchParams();
    if (filters.q) query.set('q', filters.q);
    if (filters.sector) query.set('sector', filters.sector);
    res.render('employers/list', {
      title: res.locals.t('employers.list.title'),
      rows,
      filters,
      sectors: EMPLOYER_SECTORS,
      pagination: pageInfo(page, total, rows.length),
      baseQuery: query.toString(),
      isFiltered: Boolean(filters.q || filters.sector),
      anyEmployers,
    });
  });

  router.get('/employers/new', (_req, res) => {
    renderEmployerForm(res, 200, { mode: 'create', values: { submissionToken: newSubmissionToken(), sector: '' } });
  });

  router.post('/employers', async (req, res) => {
    const form = parseForm(EmployerCreateForm, req.body);
    if (!form.ok) return renderEmployerForm(res, 422, { mode: 'create', values: form.values, errors: form.errors });
    const { submissionToken, ...input } = form.data;
    const outcome = await createEmployer(db, viewerOf(req), input, submissionToken, now());
    redirectAfterCreate(res, outcome, 'created', () =>
      renderEmployerForm(res, 422, {
        mode: 'create',
        values: { ...form.values, submissionToken: newSubmissionToken() },
        errors: { _form: 'validation.expiredForm' },
      }),
    );
  });

  router.get('/employers/:id', async (req, res) => {
    const params = paramsOr404(idParam, req);
    const profile = await employerProfile(db, viewerOf(req), params.id);
    if (!profile) throw notFound();
    res.render('employers/profile', {
      title: profile.employer.name,
      ...profile,
      notice: typeof req.query.done === 'string' ? req.query.done : null,
    });
  });

  router.get('/employers/:id/edit', async (req, res) => {
    const employer = await employerOr404(req);
    renderEmployerForm(res, 200, { mode: 'edit', values: employerValuesOf(employer), employer });
  });

  router.post('/employers/:id/edit', async (req, res) => {
    const employer = await employerOr404(req);
    const form = parseForm(EmployerEditForm, req.body);
    if (!form.ok) return renderEmployerForm(res, 422, { mode: 'edit', values: form.values, errors: form.errors, employer });
    const outcome = await updateEmployer(db, viewerOf(req), employer.id, form.data, now());
    if (outcome.kind === 'notFound') throw notFound();
    if (outcome.kind === 'conflict') {
      const current = employerValuesOf(outcome.current);
      const t = res.locals.t as (key: string) => string;
      return renderConflict(res, {
        backHref: `/employers/${employer.id}`,
        action: `/employers/${employer.id}/edit`,
        labels: EMPLOYER_LABELS,
        current: readable(current, 'sector', 'employers.sectors', t),
        yours: readable(form.values, 'sector', 'employers.sectors', t),
        resubmit: { ...form.values, version: current.version },
      });
    }
    res.redirect(303, `/employers/${employer.id}?done=updated`);
  });

  router.get('/employers/:id/contacts/new', async (req, res) => {
    const employer = await employerOr404(req);
    renderContactForm(res, 200, { mode: 'create', employer, values: { submissionToken: newSubmissionToken(), role: '' } });
  });

  router.post('/employers/:id/contacts', async (req, res) => {
    const employer = await employerOr404(req);
    const form = parseForm(ContactCreateForm, req.body);
    if (!form.ok) return renderContactForm(res, 422, { mode: 'create', employer, values: form.values, errors: form.errors });
    const { submissionToken, ...input } = form.data;
    const outcome = await createContact(db, viewerOf(req), employer.id, input, submissionToken, now());
    redirectAfterCreate(res, outcome, 'contactCreated', () =>
      renderContactForm(res, 422, {
        mode: 'create',
        employer,
        values: { ...form.values, submissionToken: newSubmissionToken() },
        errors: { _form: 'validation.expiredForm' },
      }),
    );
  });

  router.get('/employers/:id/contacts/:contactId/edit', async (req, res) => {
    const { employer, contact } = await contactOr404(req);
    renderContactForm(res, 200, { mode: 'edit', employer, contact, values: contactValuesOf(contact) });
  });

  router.post('/employers/:id/contacts/:contactId/edit', async (req, res) => {
    const { employer, contact } = await contactOr404(req);
    const form = parseForm(ContactEditForm, req.body);
    if (!form.ok) {
      return renderContactForm(res, 422, { mode: 'edit', employer, contact, values: form.values, errors: form.errors });
    }
    const outcome = await updateContact(db, viewerOf(req), employer.id, contact.id, form.data, now());
    if (outcome.kind === 'notFound') throw notFound();
    if (outcome.kind === 'conflict') {
      const current = contactValuesOf(outcome.current);
      const t = res.locals.t as (key: string) => string;
      return renderConflict(res, {
        backHref: `/employers/${employer.id}`,
        action: `/employers/${employer.id}/contacts/${contact.id}/edit`,
        labels: CONTACT_LABELS,
        current: readable(current, 'role', 'employers.contactRoles', t),
        yours: readable(form.values, 'role', 'employers.contactRoles', t),
        resubmit: { ...form.values, version: current.version },
      });
    }
    res.redirect(303, `/employers/${employer.id}?done=contactUpdated`);
  });

  return router;
}
