import type { Request, RequestHandler, Response } from 'express';
import type { Session, SessionData } from 'express-session';
import { hasSecondFactor } from './service';
import { safeLocalPath } from '../lib/safe-redirect';
import type { Services } from '../services';

// Step-up: a period export, a subject-access ZIP and every administrative change (a POST under
// /admin) ask for the second factor again when the last one is older than STEP_UP_MINUTES. Which
// routes: web/routes.ts `needsStepUp` (a route's `stepUp` option, else the /admin/ rule). Where the
// person goes: stepUpTargetFor below, the one place that decides.

type SessionOf = Session & Partial<SessionData>;

/** Whether the session's last second factor is recent enough for a step-up route. */
export function secondFactorIsRecent(session: SessionOf, nowMs: number, stepUpMinutes: number): boolean {
  const at = session.secondFactorAt;
  return at !== undefined && nowMs - at <= stepUpMinutes * 60_000;
}

/**
 * Where a person goes to give their second factor again, and comes back to `next` from. A local
 * sign-in asks on /login/step-up (authenticator code or recovery code; passkeys add their button
 * there). The OIDC branch sends an SSO session to its identity provider here instead (max_age).
 */
export function stepUpTargetFor(session: SessionOf, next: string): string {
  // Signed in through the identity provider: it asks again (max_age=0), by way of src/sso.
  if (session.signInMethod === 'oidc') return `/login/oidc/step-up?next=${encodeURIComponent(next)}`;
  return `/login/step-up?next=${encodeURIComponent(next)}`;
}

/**
 * Where to come back to after a step-up: the page itself for a GET; for a form post (whose fields
 * cannot survive the detour) the page the form was on, when the Referer is this site.
 */
export function returnPathOf(req: Request): string {
  if (req.method === 'GET') return safeLocalPath(req.originalUrl);
  return refererPathOf(req) ?? '/';
}

/** The page of this site the request came from (its Referer), or null for none or another site's. */
export function refererPathOf(req: Request): string | null {
  const referer = req.get('referer');
  if (!referer || !URL.canParse(referer)) return null;
  const url = new URL(referer);
  if (url.host !== req.get('host')) return null;
  return safeLocalPath(`${url.pathname}${url.search}`);
}

/**
 * The step-up guard of a route: on when the last second factor is recent; else off to stepUpTargetFor.
 * A local sign-in without any second factor whose role requires none has nothing to give again, and
 * passes (MFA_REQUIRED_ROLES decides who must have one).
 */
export function requireRecentSecondFactor(services: Services): RequestHandler {
  const { clock, config, mfa } = services;
  return (req, res, next) => {
    const user = req.user;
    if (!user) return next();
    if (secondFactorIsRecent(req.session, clock.now().toMillis(), config.mfa.stepUpMinutes)) return next();
    const target = stepUpTargetFor(req.session, returnPathOf(req));
    if (req.session.signInMethod === 'oidc') return sendToStepUp(req, res, target);
    mfa
      .secondFactorsOf(user.id)
      .then((factors) => {
        const required = config.mfa.requiredRoles.includes(user.role);
        if (!hasSecondFactor(factors) && !required) return next();
        sendToStepUp(req, res, target);
      })
      .catch(next);
  };
}

/**
 * A page is redirected; a script's request (the passkey button asks for its options with fetch,
 * which cannot follow a redirect to an identity provider) gets 403 with where to go instead.
 */
function sendToStepUp(req: Request, res: Response, target: string): void {
  if (req.accepts(['html', 'json']) === 'json') {
    res.status(403).json({ stepUp: target });
    return;
  }
  res.redirect(303, target);
}
