import type { NextFunction, Request } from 'express';
import { readCookie } from '../lib/cookies';
import { notFound } from '../lib/errors';
import { safeLocalPath } from '../lib/safe-redirect';
import { securityEvent } from '../platform/security-log';
import type { Services } from '../services';
import { completeSignIn } from '../auth/sign-in';
import type { PublicResponse, SignedInResponse } from '../web/context';
import { openFlow, sealFlow, SSO_FLOW_COOKIE, SSO_FLOW_COOKIE_PATH, SSO_FLOW_MINUTES, type SsoFlow } from './flow-cookie';
import { SsoProviderError, type SsoProvider } from './provider';
import type { SsoClaims, SsoRefusal } from './service';

function providerOf({ ssoProvider }: Services): SsoProvider {
  // Without OIDC_ISSUER the routes do not exist.
  if (!ssoProvider) throw notFound();
  return ssoProvider;
}

/** Back to the sign-in page, which says why (SSO_REFUSALS); logged as a security event. */
function refuseSignIn(
  res: PublicResponse,
  reason: SsoRefusal,
  details: { userId?: number | null; providerError?: string } = {},
): void {
  securityEvent('sso_sign_in_refused', reason === 'providerError' ? 'failure' : 'refused', { ...details, refusal: reason });
  res.redirect(303, `/login?sso=${reason}`);
}

/** Leaves for the provider, with the checks of this sign-in in a signed cookie of the browser. */
async function sendToProvider(
  services: Services,
  res: PublicResponse | SignedInResponse,
  flow: Pick<SsoFlow, 'next' | 'stepUpUserId' | 'maxAge'>,
) {
  let started;
  try {
    started = await providerOf(services).start(flow.maxAge);
  } catch (error) {
    if (!(error instanceof SsoProviderError)) throw error;
    services.logger.warn({ err: error, code: error.code }, 'single sign-on: the identity provider cannot be used');
    if (flow.stepUpUserId === null) return refuseSignIn(res, 'providerError', { providerError: error.code });
    securityEvent('sso_sign_in_refused', 'failure', { providerError: error.code, refusal: 'providerError' });
    return res.redirect(303, stepUpPath(flow.next, 'providerError'));
  }
  const expiresAt = services.clock.now().toMillis() + SSO_FLOW_MINUTES * 60_000;
  res.cookie(SSO_FLOW_COOKIE, sealFlow(services.config.session.secret, { ...started.checks, ...flow, expiresAt }), {
    httpOnly: true,
    // Lax: the provider sends the person back with a top-level GET, which carries it.
    sameSite: 'lax',
    secure: services.config.isProduction,
    maxAge: SSO_FLOW_MINUTES * 60_000,
    path: SSO_FLOW_COOKIE_PATH,
  });
  res.redirect(303, started.url.href);
}

/** GET /login/oidc: the sign-in button. A signed-in person goes on to `next`. */
export async function startSsoSignIn(services: Services, req: Request, res: PublicResponse) {
  providerOf(services);
  const next = safeLocalPath(req.query.next, '/');
  if (res.locals.user) return res.redirect(303, next);
  await sendToProvider(services, res, { next, stepUpUserId: null, maxAge: null });
}

/** The flow this browser started, used up: its cookie goes whatever the answer. */
function takeFlow({ config, clock }: Services, req: Request, res: PublicResponse): SsoFlow | null {
  res.clearCookie(SSO_FLOW_COOKIE, { path: SSO_FLOW_COOKIE_PATH });
  return openFlow(config.session.secret, readCookie(req, SSO_FLOW_COOKIE), clock.now().toMillis());
}

/**
 * The provider's answer, verified, or the refusal already answered: on the sign-in page, or for a
 * step-up where `failedAt` says.
 */
async function verifiedClaims(
  services: Services,
  req: Request,
  res: PublicResponse,
  flow: SsoFlow | null,
  failedAt?: (reason: 'providerError' | 'wrongState' | 'notVerified') => string,
): Promise<SsoClaims | null> {
  const refuse = (reason: 'providerError' | 'wrongState' | 'notVerified', details: { providerError?: string }) => {
    if (!failedAt) return refuseSignIn(res, reason, details);
    securityEvent('sso_sign_in_refused', reason === 'providerError' ? 'failure' : 'refused', { ...details, refusal: reason });
    res.redirect(303, failedAt(reason));
  };
  const providerError = typeof req.query.error === 'string' ? req.query.error.slice(0, 100) : null;
  if (flow === null || req.query.state !== flow.state) {
    refuse('wrongState', { providerError: providerError ?? undefined });
    return null;
  }
  if (providerError !== null) {
    refuse('providerError', { providerError });
    return null;
  }
  const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '';
  try {
    return await providerOf(services).finish(query, flow);
  } catch (error) {
    if (!(error instanceof SsoProviderError)) throw error;
    services.logger.warn({ code: error.code }, 'single sign-on: the answer of the identity provider was refused');
    refuse(error.unverified ? 'notVerified' : 'providerError', { providerError: error.code });
    return null;
  }
}

/** GET /login/oidc/callback: the provider sends the person back here with a code (or an error). */
export async function finishSsoSignIn(services: Services, req: Request, res: PublicResponse, next: NextFunction) {
  providerOf(services);
  const flow = takeFlow(services, req, res);
  if (flow !== null && flow.stepUpUserId !== null) return finishStepUp(services, req, res, flow);
  const claims = await verifiedClaims(services, req, res, flow);
  if (!claims || !flow) return;
  const outcome = await services.sso.signInWithSso(services.config.sso!, claims, services.clock.now().toJSDate());
  if (outcome.kind === 'refused') return refuseSignIn(res, outcome.reason, { userId: outcome.userId });
  const user = await services.users.findSignedInUser(outcome.userId, services.organisationToday());
  if (!user) return refuseSignIn(res, 'deactivated', { userId: outcome.userId });
  // The identity provider owns the second factor: no local one is asked, and step-up goes back to it.
  completeSignIn(services, req, res, next, user, 'oidc', { next: safeLocalPath(flow.next, '/') });
}

// --- Step-up --------------------------------------------------------------------------------------
//
// A person signed in through the identity provider gives their "second factor" again there: the
// step-up guard (src/mfa/step-up.ts stepUpTargetFor) sends them to /login/oidc/step-up, which sends
// them to the provider with max_age=0 (authenticate again, whatever session it has). When they come
// back as the same person, the session's second factor is fresh again.

function stepUpPath(next: string, failed?: StepUpFailure): string {
  const query = new URLSearchParams({ next, ...(failed ? { failed } : {}) });
  return `/login/oidc/step-up?${query.toString()}`;
}

const STEP_UP_FAILURES = ['providerError', 'wrongState', 'notVerified', 'otherPerson'] as const;
type StepUpFailure = (typeof STEP_UP_FAILURES)[number];

/** GET /login/oidc/step-up?next=…: off to the provider; after a failed try (`failed`), a page that says why and offers another. */
export async function startSsoStepUp(services: Services, req: Request, res: SignedInResponse) {
  providerOf(services);
  const next = safeLocalPath(req.query.next, '/');
  const failed = STEP_UP_FAILURES.find((failure) => failure === req.query.failed);
  if (failed) {
    const { t } = res.locals;
    return res.status(failed === 'otherPerson' ? 403 : 502).render('sso/step-up', {
      title: t('sso.stepUp.title'),
      message: failed === 'otherPerson' ? t('sso.stepUp.otherPerson') : t(`sso.refused.${failed}`),
      retry: stepUpPath(next),
      back: next,
    });
  }
  await sendToProvider(services, res, { next, stepUpUserId: res.locals.viewer.userId, maxAge: 0 });
}

/** The provider's answer to a step-up: the same person, authenticated just now, or a page that says why not. */
async function finishStepUp(services: Services, req: Request, res: PublicResponse, flow: SsoFlow) {
  const next = safeLocalPath(flow.next, '/');
  const user = res.locals.user;
  // Signed out (or in as someone else) since the step-up began: nothing to step up.
  if (!user || user.id !== flow.stepUpUserId) return refuseSignIn(res, 'wrongState', { userId: flow.stepUpUserId });
  const claims = await verifiedClaims(services, req, res, flow, (reason) => stepUpPath(next, reason));
  if (!claims) return;
  if (!(await services.sso.isBoundTo(claims, user.id))) {
    securityEvent('sso_sign_in_refused', 'refused', { userId: user.id, refusal: 'otherPerson' });
    return res.redirect(303, stepUpPath(next, 'otherPerson'));
  }
  req.session.secondFactorAt = services.clock.now().toMillis();
  await services.mfa.recordStepUp(user.id, 'oidc');
  res.redirect(303, next);
}
