import type { NextFunction, Request } from 'express';
import { establishSignIn, pendingSignInOf } from '../auth/sign-in';
import { parseForm } from '../lib/forms';
import { safeLocalPath } from '../lib/safe-redirect';
import { securityEvent } from '../platform/security-log';
import type { Services } from '../services';
import type { PublicResponse, SignedInResponse } from '../web/context';
import { enrolmentView, factorsView, type EnrolmentView, type FactorsView } from './presentation';
import { CodeForm, EnrolForm } from './schemas';
import type { CodeCheck } from './service';
import { newTotpSecret } from './totp';
import { refererPathOf } from './step-up';

// The sign-in's second step (/login/second-factor), the enrolment a role requires before it
// (/login/enrol), and step-up (/login/step-up). Between the password and the second step the
// session holds only `pendingSignIn` (src/auth/sign-in.ts): these pages are public routes that read it.

export interface CodePage {
  status: number;
  factors: FactorsView;
  next: string;
  /** Step-up only: where its "Back" link goes. */
  back?: string;
  errors?: Record<string, string>;
  formError?: string | null;
}

function renderSecondStep(res: PublicResponse, page: CodePage) {
  res.status(page.status).render('mfa/second-factor', {
    title: res.locals.t('mfa.secondStep.title'),
    factors: page.factors,
    errors: page.errors ?? {},
    formError: page.formError ?? null,
  });
}

/** Back to the sign-in page when there is no pending sign-in (never one, or it expired). */
function signInAgain(res: PublicResponse) {
  res.redirect(303, '/login?pendingExpired=1');
}

/** GET /login/second-factor: the code form, for a pending sign-in. */
export async function showSecondStep(services: Services, req: Request, res: PublicResponse) {
  if (res.locals.user) return res.redirect(303, '/');
  const pending = pendingSignInOf(services, req);
  if (!pending) return signInAgain(res);
  if (pending.mustEnrol) return res.redirect(303, '/login/enrol');
  const factors = factorsView(await services.mfa.secondFactorsOf(pending.userId));
  renderSecondStep(res, { status: 200, factors, next: pending.next });
}

/**
 * A code for `userId`, throttled like passwords (LOGIN_FAILURES_PER_ACCOUNT per window): the
 * check's outcome, or null when too many wrong ones came before (logged as throttled).
 */
async function throttledCheck(services: Services, userId: number, code: string): Promise<CodeCheck | null> {
  const { signInThrottle, mfa, clock } = services;
  const limited = await signInThrottle.secondFactor(
    userId,
    () => mfa.checkSecondFactorCode(userId, code, clock.now().toJSDate()),
    (check) => check.kind === 'accepted',
  );
  if (limited.kind === 'refused') {
    securityEvent('second_factor_throttled', 'refused', { userId, limit: 'second-factor failures' });
    return null;
  }
  if (limited.result.kind === 'wrong') securityEvent('second_factor_failed', 'failure', { userId });
  return limited.result;
}

/** The message of a refused code: too many, or wrong (also for a replayed or spent one). */
function codeError(services: Services, res: PublicResponse, check: CodeCheck | null): { status: number; formError: string } {
  const { t } = res.locals;
  if (check === null) {
    return { status: 429, formError: t('mfa.secondStep.tooMany', { minutes: services.config.loginRateLimit.windowMinutes }) };
  }
  return { status: 401, formError: t('mfa.secondStep.wrong') };
}

/** POST /login/second-factor: a right code completes the sign-in; a wrong one counts like a wrong password. */
export async function checkSecondStep(services: Services, req: Request, res: PublicResponse, next: NextFunction) {
  if (res.locals.user) return res.redirect(303, '/');
  const pending = pendingSignInOf(services, req);
  if (!pending || pending.mustEnrol) return signInAgain(res);
  const factors = factorsView(await services.mfa.secondFactorsOf(pending.userId));
  const form = parseForm(CodeForm, req.body);
  if (!form.ok) return renderSecondStep(res, { status: 422, factors, next: pending.next, errors: form.errors });
  const check = await throttledCheck(services, pending.userId, form.data.code);
  if (check?.kind !== 'accepted') {
    return renderSecondStep(res, { factors, next: pending.next, ...codeError(services, res, check) });
  }
  const user = await services.users.findSignedInUser(pending.userId, services.organisationToday());
  // Deactivated between the two steps: nobody to sign in.
  if (!user) return signInAgain(res);
  establishSignIn(services, req, user, check.method)
    .then((target) => res.redirect(303, target))
    .catch(next);
}

interface EnrolPage {
  status: number;
  enrolment: EnrolmentView;
  wasReset: boolean;
  values?: Record<string, string>;
  errors?: Record<string, string>;
  formError?: string | null;
}

function renderEnrol(res: PublicResponse, page: EnrolPage) {
  res.status(page.status).render('mfa/enrol', {
    title: res.locals.t('mfa.enrol.title'),
    enrolment: page.enrolment,
    wasReset: page.wasReset,
    values: page.values ?? {},
    errors: page.errors ?? {},
    formError: page.formError ?? null,
  });
}

/** The secret being enrolled in this session: the one shown before, or a new one. */
export function enrolmentSecretOf(services: Services, req: Request): string {
  const current = req.session.totpEnrolment;
  if (current) return current.secret;
  const secret = newTotpSecret();
  req.session.totpEnrolment = { secret, startedAt: services.clock.now().toMillis() };
  return secret;
}

/** GET /login/enrol: a role that requires a second factor, and none yet: set up the app, or nothing else. */
export async function showEnrolment(services: Services, req: Request, res: PublicResponse) {
  if (res.locals.user) return res.redirect(303, '/');
  const pending = pendingSignInOf(services, req);
  if (!pending) return signInAgain(res);
  if (!pending.mustEnrol) return res.redirect(303, '/login/second-factor');
  const user = await services.users.findSignedInUser(pending.userId, services.organisationToday());
  if (!user) return signInAgain(res);
  const enrolment = await enrolmentView(services, user.email, enrolmentSecretOf(services, req), '/login/enrol');
  renderEnrol(res, { status: 200, enrolment, wasReset: pending.wasReset });
}

/**
 * POST /login/enrol: the app's first code confirms it, and signs the person in ('totp'); the
 * recovery codes are shown once on the way to where they were going.
 */
export async function confirmEnrolment(services: Services, req: Request, res: PublicResponse, next: NextFunction) {
  if (res.locals.user) return res.redirect(303, '/');
  const pending = pendingSignInOf(services, req);
  const user = pending?.mustEnrol
    ? await services.users.findSignedInUser(pending.userId, services.organisationToday())
    : undefined;
  if (!pending || !user) return signInAgain(res);
  const secret = enrolmentSecretOf(services, req);
  const form = parseForm(EnrolForm, req.body);
  const outcome = form.ok
    ? await services.mfa.confirmTotpEnrolment(user.id, secret, form.data.code, services.clock.now().toJSDate())
    : null;
  if (outcome?.kind !== 'enrolled') {
    const enrolment = await enrolmentView(services, user.email, secret, '/login/enrol');
    const errors = form.ok ? { code: 'mfa.enrol.wrong' } : form.errors;
    return renderEnrol(res, { status: 422, enrolment, wasReset: pending.wasReset, values: form.values, errors });
  }
  const then = `/account/security/recovery-codes?next=${encodeURIComponent(safeLocalPath(pending.next, '/'))}`;
  establishSignIn(services, req, user, 'totp', { next: then, keep: { revealRecoveryCodes: outcome.recoveryCodes } })
    .then((target) => res.redirect(303, target))
    .catch(next);
}

/** The step-up page: also after a refused passkey (src/passkeys/sign-in-controller.ts). */
export function renderStepUp(res: SignedInResponse, services: Services, page: CodePage) {
  res.status(page.status).render('mfa/step-up', {
    title: res.locals.t('mfa.stepUp.title'),
    factors: page.factors,
    next: page.next,
    back: page.back ?? '/',
    minutes: services.config.mfa.stepUpMinutes,
    errors: page.errors ?? {},
    formError: page.formError ?? null,
  });
}

/** GET /login/step-up: give the second factor again, then back to `next`. */
export async function showStepUp(services: Services, req: Request, res: SignedInResponse) {
  const factors = factorsView(await services.mfa.secondFactorsOf(res.locals.viewer.userId));
  const next = safeLocalPath(req.query.next);
  // "Back" leads to the page the person came from: `next` itself would be a guarded download's
  // own address (an export), which leads straight back here.
  const cameFrom = refererPathOf(req);
  const back = cameFrom && !cameFrom.startsWith('/login/') ? cameFrom : '/';
  renderStepUp(res, services, { status: 200, factors, next, back });
}

/** POST /login/step-up: a right code (throttled as at sign-in) renews the session's second factor; audited. */
export async function checkStepUp(services: Services, req: Request, res: SignedInResponse) {
  const { userId } = res.locals.viewer;
  const factors = factorsView(await services.mfa.secondFactorsOf(userId));
  const form = parseForm(CodeForm, req.body);
  const next = safeLocalPath(form.values.next);
  if (!form.ok) return renderStepUp(res, services, { status: 422, factors, next, errors: form.errors });
  const check = await throttledCheck(services, userId, form.data.code);
  if (check?.kind !== 'accepted') return renderStepUp(res, services, { factors, next, ...codeError(services, res, check) });
  req.session.secondFactorAt = services.clock.now().toMillis();
  await services.mfa.recordStepUp(userId, check.method);
  res.redirect(303, next);
}
