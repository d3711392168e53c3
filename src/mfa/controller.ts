import type { Request } from 'express';
import { notFound } from '../lib/errors';
import { parseForm } from '../lib/forms';
import { safeLocalPath } from '../lib/safe-redirect';
import type { Services } from '../services';
import type { SignedInResponse } from '../web/context';
import { paramsOr404 } from '../web/params';
import { noticeFrom, withNotice } from '../web/post-form';
import { enrolmentView, securityPageOf, SECURITY_NOTICES } from './presentation';
import { EnrolForm, UserIdParam } from './schemas';
import { secondFactorRequired } from './service';
import { enrolmentSecretOf } from './sign-in-controller';

// /account/security (the person's own second factors) and the administrator's reset of someone's.

const SECURITY = '/account/security';

/** GET /account/security: the authenticator app, the recovery codes (and the passkeys branch's section). */
export async function showSecurity(services: Services, req: Request, res: SignedInResponse) {
  const page = await securityPageOf(services, res.locals.viewer);
  res.render('mfa/security', { title: res.locals.t('mfa.security.title'), ...page, notice: noticeFrom(req, SECURITY_NOTICES) });
}

async function renderTotpEnrolment(services: Services, req: Request, res: SignedInResponse, status: number, errors = {}) {
  const enrolment = await enrolmentView(services, res.locals.user.email, enrolmentSecretOf(services, req), `${SECURITY}/totp`);
  res.status(status).render('mfa/account-enrol', {
    title: res.locals.t('mfa.enrol.title'),
    enrolment,
    values: {},
    errors,
    formError: null,
  });
}

/** GET /account/security/totp: set up an authenticator app (once; another one replaces it after removing). */
export async function showTotpEnrolment(services: Services, req: Request, res: SignedInResponse) {
  const factors = await services.mfa.secondFactorsOf(res.locals.viewer.userId);
  if (factors.totp) return res.redirect(303, SECURITY);
  await renderTotpEnrolment(services, req, res, 200);
}

/** POST /account/security/totp: the first code confirms it; the recovery codes are shown once next. */
export async function confirmTotpEnrolment(services: Services, req: Request, res: SignedInResponse) {
  const { userId } = res.locals.viewer;
  const form = parseForm(EnrolForm, req.body);
  if (!form.ok) return renderTotpEnrolment(services, req, res, 422, form.errors);
  const secret = enrolmentSecretOf(services, req);
  const now = services.clock.now();
  const outcome = await services.mfa.confirmTotpEnrolment(userId, secret, form.data.code, now.toJSDate());
  if (outcome.kind === 'wrongCode') return renderTotpEnrolment(services, req, res, 422, { code: 'mfa.enrol.wrong' });
  delete req.session.totpEnrolment;
  // An app is never replaced here: removing the one there asks for the second factor again.
  if (outcome.kind === 'alreadyEnrolled') return res.redirect(303, SECURITY);
  // The code just given is a second factor in this session too (this route asked for a recent one
  // first when the person already had a factor, so a new factor never stands in for an old one).
  req.session.secondFactorAt = now.toMillis();
  req.session.revealRecoveryCodes = outcome.recoveryCodes;
  res.redirect(303, `${SECURITY}/recovery-codes?next=${encodeURIComponent(withNotice(SECURITY, 'enrolled'))}`);
}

/** GET /account/security/recovery-codes: the codes just made, once (reading them takes them out of the session). */
export function showRecoveryCodes(_services: Services, req: Request, res: SignedInResponse) {
  const codes = req.session.revealRecoveryCodes;
  if (!codes) return res.redirect(303, SECURITY);
  delete req.session.revealRecoveryCodes;
  res.render('mfa/recovery-codes', {
    title: res.locals.t('mfa.recoveryCodes.title'),
    codes,
    next: safeLocalPath(req.query.next, SECURITY),
  });
}

/** POST /account/security/recovery-codes (step-up): ten new codes replace the old ones. */
export async function regenerateRecoveryCodes(services: Services, req: Request, res: SignedInResponse) {
  const outcome = await services.mfa.regenerateRecoveryCodes(res.locals.viewer.userId);
  if (outcome.kind === 'noFactor') return res.redirect(303, SECURITY);
  req.session.revealRecoveryCodes = outcome.recoveryCodes;
  res.redirect(303, `${SECURITY}/recovery-codes`);
}

/** GET /account/security/totp/disable: are you sure? */
export async function showDisableTotp(services: Services, _req: Request, res: SignedInResponse) {
  const factors = await services.mfa.secondFactorsOf(res.locals.viewer.userId);
  if (!factors.totp) return res.redirect(303, SECURITY);
  res.render('mfa/disable', { title: res.locals.t('mfa.disable.title'), codesGo: factors.passkeys === 0 });
}

/** POST /account/security/totp/disable (step-up): removed, unless it is the only factor a role requires. */
export async function disableTotp(services: Services, _req: Request, res: SignedInResponse) {
  const { viewer } = res.locals;
  const required = secondFactorRequired(services.config.mfa.requiredRoles, viewer.role);
  const outcome = await services.mfa.disableTotp(viewer.userId, required);
  if (outcome.kind === 'notEnrolled') return res.redirect(303, SECURITY);
  res.redirect(303, withNotice(SECURITY, outcome.kind === 'required' ? 'disableRefused' : 'disabled'));
}

async function personOf(services: Services, req: Request) {
  const { id } = paramsOr404(UserIdParam, req);
  const person = await services.admin.findUserForAdmin(id);
  if (!person) throw notFound();
  return person;
}

/** GET /admin/users/:id/second-factor/reset: the administrator confirms the reset. */
export async function showResetSecondFactor(services: Services, req: Request, res: SignedInResponse) {
  const person = await personOf(services, req);
  res.render('mfa/reset', { title: res.locals.t('mfa.reset.title'), person });
}

/** POST /admin/users/:id/second-factor/reset (step-up, as every administrative change): audited; the person is told at sign-in. */
export async function resetSecondFactor(services: Services, req: Request, res: SignedInResponse) {
  const person = await personOf(services, req);
  const outcome = await services.mfa.resetSecondFactor(res.locals.viewer.userId, person.id, services.clock.now().toJSDate());
  res.redirect(303, withNotice(`/admin/users/${person.id}`, outcome.kind === 'reset' ? 'factorReset' : 'nothingToReset'));
}
