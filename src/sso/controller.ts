import type { NextFunction, Request } from 'express';
import { readCookie } from '../lib/cookies';
import { notFound } from '../lib/errors';
import { safeLocalPath } from '../lib/safe-redirect';
import { securityEvent } from '../platform/security-log';
import type { Services } from '../services';
import type { PublicResponse } from '../web/context';
import { openFlow, sealFlow, SSO_FLOW_COOKIE, SSO_FLOW_COOKIE_PATH, SSO_FLOW_MINUTES, type SsoFlow } from './flow-cookie';
import { SsoProviderError, type SsoProvider } from './provider';
import type { SsoClaims, SsoRefusal } from './service';

function providerOf({ ssoProvider }: Services): SsoProvider {
  // Without OIDC_ISSUER the routes do not exist.
  if (!ssoProvider) throw notFound();
  return ssoProvider;
}

/** Back to the sign-in page, which says why (SSO_REFUSALS); logged as a security event. */
function refuse(res: PublicResponse, reason: SsoRefusal, details: { userId?: number | null; providerError?: string } = {}): void {
  securityEvent('sso_sign_in_refused', reason === 'providerError' ? 'failure' : 'refused', { ...details, refusal: reason });
  res.redirect(303, `/login?sso=${reason}`);
}

/** Leaves for the provider, with the checks of this sign-in in a signed cookie of the browser. */
async function sendToProvider(services: Services, res: PublicResponse, flow: Pick<SsoFlow, 'next' | 'stepUpUserId' | 'maxAge'>) {
  let started;
  try {
    started = await providerOf(services).start(flow.maxAge);
  } catch (error) {
    if (!(error instanceof SsoProviderError)) throw error;
    services.logger.warn({ err: error, code: error.code }, 'single sign-on: the identity provider cannot be used');
    return refuse(res, 'providerError', { providerError: error.code });
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

/** The provider's answer, verified, or the refusal already answered. */
async function verifiedClaims(services: Services, req: Request, res: PublicResponse, flow: SsoFlow | null): Promise<SsoClaims | null> {
  const providerError = typeof req.query.error === 'string' ? req.query.error.slice(0, 100) : null;
  if (flow === null || req.query.state !== flow.state) {
    refuse(res, providerError !== null && flow !== null ? 'providerError' : 'wrongState', { providerError: providerError ?? undefined });
    return null;
  }
  if (providerError !== null) {
    refuse(res, 'providerError', { providerError });
    return null;
  }
  const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '';
  try {
    return await providerOf(services).finish(query, flow);
  } catch (error) {
    if (!(error instanceof SsoProviderError)) throw error;
    services.logger.warn({ code: error.code }, 'single sign-on: the answer of the identity provider was refused');
    refuse(res, error.unverified ? 'notVerified' : 'providerError', { providerError: error.code });
    return null;
  }
}

/** GET /login/oidc/callback: the provider sends the person back here with a code (or an error). */
export async function finishSsoSignIn(services: Services, req: Request, res: PublicResponse, next: NextFunction) {
  providerOf(services);
  const flow = takeFlow(services, req, res);
  const claims = await verifiedClaims(services, req, res, flow);
  if (!claims || !flow) return;
  const outcome = await services.sso.signInWithSso(services.config.sso!, claims, services.clock.now().toJSDate());
  if (outcome.kind === 'refused') return refuse(res, outcome.reason, { userId: outcome.userId });
  const user = await services.users.findSignedInUser(outcome.userId);
  if (!user) return refuse(res, 'deactivated', { userId: outcome.userId });
  // passport regenerates the session here, so a session id known before sign-in is worthless after it.
  req.logIn(user, (error) => {
    if (error) return next(error);
    req.session.signedInAt = services.clock.now().toMillis();
    req.session.client = { userAgent: (req.get('user-agent') ?? '').slice(0, 500), address: req.ip ?? '' };
    // The identity provider owns the second factor: no local one is asked.
    req.session.signInMethod = 'sso';
    res.redirect(303, safeLocalPath(flow.next, '/'));
  });
}
