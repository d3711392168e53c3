import type { Request } from 'express';
import { notFound } from '../lib/errors';
import { pageFromQuery, pageInfo } from '../lib/pagination';
import { newSubmissionToken } from '../platform/submissions/service';
import type { Services } from '../services';
import { renderConflict } from '../web/conflict';
import type { SignedInResponse } from '../web/context';
import { paramsOr404 } from '../web/params';
import { answeredWith, noticeFrom, postForm, withNotice, type FormState } from '../web/post-form';
import { EDIT_FIELDS, FIELD_LABELS, formValuesOf, LIST_NOTICES, listQueryString, USER_NOTICES } from './presentation';
import { DeactivateForm, InviteForm, UserEditForm, UserIdParam, UserListQuery } from './schemas';
import type { AdminUserRow } from './service';
import { secondFactorRequired } from '../mfa/service';

const LIST = '/admin/users';

/** The person of the URL; a malformed or unknown id answers 404. */
async function personOf({ admin }: Services, req: Request): Promise<AdminUserRow> {
  const { id } = paramsOr404(UserIdParam, req);
  const person = await admin.findUserForAdmin(id);
  if (!person) throw notFound();
  return person;
}

/** GET /admin/users: everyone with an account, searchable by name or email, a page at a time. */
export async function listUsers({ admin }: Services, req: Request, res: SignedInResponse) {
  const filters = UserListQuery.parse(req.query);
  const page = pageFromQuery(req.query);
  const { rows, total } = await admin.usersPage(filters, page);
  const baseQuery = listQueryString(filters);
  res.render('admin/users', {
    title: res.locals.t('admin.users.title'),
    users: rows,
    filters,
    pagination: pageInfo(page, total, rows.length),
    baseQuery,
    isFiltered: baseQuery !== '',
    notice: noticeFrom(req, LIST_NOTICES),
  });
}

async function renderInviteForm({ admin }: Services, res: SignedInResponse, status: number, state: FormState) {
  res.status(status).render('admin/user-new', {
    title: res.locals.t('admin.invite.title'),
    teams: await admin.teamChoices(),
    values: state.values,
    errors: state.errors,
    labels: FIELD_LABELS,
  });
}

/** GET /admin/users/new: invite someone (name, email, role, team, language). */
export async function showInviteForm(services: Services, _req: Request, res: SignedInResponse) {
  const values = { submissionToken: newSubmissionToken(), role: 'coach', teamId: '', locale: '' };
  await renderInviteForm(services, res, 200, { values, errors: {} });
}

/**
 * POST /admin/users: the account exists at once, without a password; its one-time set-password
 * link is shown once on the person's page (kept in the administrator's session until then).
 */
export async function invitePerson(services: Services, req: Request, res: SignedInResponse) {
  await postForm(req, res, {
    parse: InviteForm,
    render: (status, state) => renderInviteForm(services, res, status, state),
    save: (form) => services.admin.invitePerson(res.locals.viewer.userId, form, services.clock.now().toJSDate()),
    saved: async ({ path, value }, { data }) => {
      // PASSWORD_SIGNIN=admins-only: anyone but an administrator signs in through single sign-on
      // (matched by this email at their first sign-in), so no set-password link is mailed or shown.
      if (!passwordLinksFor(services, data.role)) return withNotice(path, 'invitedSso');
      // Mailed at once when mail is configured; the administrator still sees the link once.
      const mailed = await services.mailing.sendSetPasswordMail(value.userId, value, 'invite');
      req.session.revealLink = {
        userId: value.userId,
        token: value.token,
        expiresAt: value.expiresAt.getTime(),
        invited: true,
        mailed: mailed.kind,
      };
      return path;
    },
  });
}

interface PersonPage extends FormState {
  person: AdminUserRow;
}

async function renderPerson(services: Services, req: Request, res: SignedInResponse, status: number, page: PersonPage) {
  const { person } = page;
  const [teams, handover, overview, factors] = await Promise.all([
    services.admin.teamChoices(),
    services.admin.caseloadHandover(person),
    services.mfa.securityOverview(person.id),
    services.mfa.secondFactorsOf(person.id),
  ]);
  // The person's second factors (an app, passkeys, recovery codes), which the administrator can reset
  // (src/mfa, views/mfa/_admin-user-section.ejs).
  const secondFactor = {
    totp: factors.totp,
    passkeys: factors.passkeys,
    recoveryCodesLeft: overview.recoveryCodesLeft,
    required: secondFactorRequired(services.config.mfa.requiredRoles, person.role),
  };
  res.status(status).render('admin/user', {
    title: person.displayName,
    person,
    isSelf: person.id === res.locals.viewer.userId,
    teams,
    handover,
    secondFactor,
    revealed: revealedLinkFor(services, req, person),
    mailConfigured: services.mail.configured,
    values: page.values,
    errors: page.errors,
    labels: FIELD_LABELS,
    notice: noticeFrom(req, USER_NOTICES),
  });
}

/** The set-password link just made for this person, once: reading it takes it out of the session. */
function revealedLinkFor({ config }: Services, req: Request, person: AdminUserRow) {
  const link = req.session.revealLink;
  if (!link || link.userId !== person.id) return null;
  delete req.session.revealLink;
  const url = `${config.publicUrl}/set-password?token=${encodeURIComponent(link.token)}`;
  return { url, expiresAt: new Date(link.expiresAt), invited: link.invited, mailed: link.mailed ?? 'notConfigured' };
}

/** GET /admin/users/:id: a person, their details to edit, and what can be done for them. */
export async function showPerson(services: Services, req: Request, res: SignedInResponse) {
  const person = await personOf(services, req);
  await renderPerson(services, req, res, 200, { person, values: formValuesOf(person), errors: {} });
}

/** POST /admin/users/:id: saves the details against their version; a stale form gets the conflict page. */
export async function savePerson(services: Services, req: Request, res: SignedInResponse) {
  const person = await personOf(services, req);
  const { viewer, t } = res.locals;
  await postForm(req, res, {
    parse: UserEditForm,
    render: (status, state) => renderPerson(services, req, res, status, { person, ...state }),
    save: (form) => services.admin.updatePerson(viewer, person.id, form, services.clock.now().toJSDate()),
    saved: (outcome, { values }) => {
      if (outcome.kind === 'saved') return withNotice(`${LIST}/${person.id}`, 'updated');
      const current = formValuesOf(outcome.current);
      const readable = (form: Record<string, string>) => ({
        ...form,
        role: t(`roles.${form.role}`),
        locale: form.locale?.toUpperCase(),
      });
      return answeredWith(
        renderConflict(res, {
          backHref: `${LIST}/${person.id}`,
          action: `${LIST}/${person.id}`,
          labels: FIELD_LABELS,
          fields: EDIT_FIELDS,
          current: readable(current),
          yours: readable(values),
          resubmit: { ...values, version: current.version },
        }),
      );
    },
  });
}

async function renderDeactivate(services: Services, res: SignedInResponse, status: number, page: PersonPage) {
  res.status(status).render('admin/user-deactivate', {
    title: res.locals.t('admin.users.deactivateTitle'),
    target: page.person,
    handover: await services.admin.caseloadHandover(page.person),
    values: page.values,
    errors: page.errors,
    labels: FIELD_LABELS,
  });
}

/**
 * GET /admin/users/:id/deactivate: it ends the person's sessions at once, so it is confirmed first;
 * a coach's open participants are handed to a colleague. One's own account, or one already
 * inactive, goes back to the person's page.
 */
export async function showDeactivateForm(services: Services, req: Request, res: SignedInResponse) {
  const person = await personOf(services, req);
  if (person.id === res.locals.viewer.userId || !person.active) return res.redirect(303, `${LIST}/${person.id}`);
  await renderDeactivate(services, res, 200, { person, values: { reassignTo: '' }, errors: {} });
}

/** POST /admin/users/:id/deactivate: an administrator cannot switch themselves or the last administrator off. */
export async function deactivatePerson(services: Services, req: Request, res: SignedInResponse) {
  const person = await personOf(services, req);
  await postForm(req, res, {
    parse: DeactivateForm,
    render: (status, state) => renderDeactivate(services, res, status, { person, ...state }),
    save: ({ reassignTo }) =>
      services.admin.deactivatePerson(res.locals.viewer, person.id, reassignTo, services.clock.now().toJSDate()),
    saved: (outcome) => (outcome.kind === 'self' ? `${LIST}/${person.id}` : withNotice(`${LIST}/${person.id}`, 'deactivated')),
  });
}

/** POST /admin/users/:id/reactivate: harmless, so without a confirmation. */
export async function reactivatePerson(services: Services, req: Request, res: SignedInResponse) {
  const person = await personOf(services, req);
  await services.admin.reactivatePerson(res.locals.viewer.userId, person.id, services.clock.now().toJSDate());
  res.redirect(303, withNotice(`${LIST}/${person.id}`, 'reactivated'));
}

/** Whether people of this role use set-password links: not under PASSWORD_SIGNIN=admins-only, but for administrators (src/sso). */
function passwordLinksFor({ config }: Services, role: AdminUserRow['role']): boolean {
  return config.passwordSignIn === 'all' || role === 'admin';
}

/** POST /admin/users/:id/password-link: a new one-time link (older ones stop working), shown once. */
export async function issuePasswordLink(services: Services, req: Request, res: SignedInResponse) {
  const person = await personOf(services, req);
  if (!person.active) throw notFound();
  if (!passwordLinksFor(services, person.role)) return res.redirect(303, withNotice(`${LIST}/${person.id}`, 'passwordOff'));
  const link = await services.admin.newPasswordLink(res.locals.viewer.userId, person, services.clock.now().toJSDate());
  const mailed = await services.mailing.sendSetPasswordMail(person.id, link, 'newLink');
  req.session.revealLink = {
    userId: person.id,
    token: link.token,
    expiresAt: link.expiresAt.getTime(),
    invited: false,
    mailed: mailed.kind,
  };
  res.redirect(303, `${LIST}/${person.id}#password-link`);
}

/** POST /admin/users/:id/sessions/end: signs the person out on every device. */
export async function endSessions(services: Services, req: Request, res: SignedInResponse) {
  const person = await personOf(services, req);
  await services.admin.endSessionsOf(res.locals.viewer.userId, person.id);
  res.redirect(303, withNotice(`${LIST}/${person.id}`, 'sessionsEnded'));
}
