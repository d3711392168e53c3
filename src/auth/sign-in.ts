import type { NextFunction, Request, Response } from 'express';
import type { SessionData } from 'express-session';
import { safeLocalPath } from '../lib/safe-redirect';
import { hasSecondFactor } from '../mfa/service';
import type { Services } from '../services';
import type { SignInMethod } from '../lib/sign-in-method';
import type { PendingSignIn } from '../web/context';

// How a sign-in ends, whichever way it went: the one place that makes a session signed in.
//
//   password ──► beginSignIn ──► no second factor, none required ──► establishSignIn('password')
//                    │
//                    ├─ has one ──► session.pendingSignIn, /login/second-factor ─► establishSignIn('totp' | 'recovery' | 'passkey')
//                    └─ role requires one, has none ──► session.pendingSignIn (mustEnrol), /login/enrol ─► establishSignIn('totp' | 'passkey')
//   SSO (OIDC) ──────────────────────────────────────────────────────────────────► establishSignIn('oidc')
//
// Between the password and the second step nobody is signed in: the session (a new one, made at
// the right password) holds only `pendingSignIn`, so every signed-in page still sends the visitor
// to /login. The second step's pages (src/mfa) read it.

/** How long the second step may take after the password. */
export const PENDING_SIGN_IN_MINUTES = 10;

function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((error) => (error ? reject(error as Error) : resolve())));
}

function saveSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((error) => (error ? reject(error as Error) : resolve())));
}

/**
 * The password (or a set-password link) was right. Signs the person in when they have no second
 * factor and their role requires none; else holds the sign-in in a new session and answers where
 * the second step is: `/login/second-factor`, or `/login/enrol` when they must first set one up.
 * Returns the path to redirect to.
 */
export async function beginSignIn(services: Services, req: Request, user: Express.User, next: string): Promise<string> {
  const factors = await services.mfa.secondFactorsOf(user.id);
  const required = services.config.mfa.requiredRoles.includes(user.role);
  if (!hasSecondFactor(factors) && !required) return establishSignIn(services, req, user, 'password', { next });
  const wasReset = await services.mfa.wasResetSinceSignIn(user.id);
  // A new session id at the right password, as at a full sign-in: one known before is worthless.
  await regenerate(req);
  const pending: PendingSignIn = {
    userId: user.id,
    next: safeLocalPath(next, ''),
    startedAt: services.clock.now().toMillis(),
    mustEnrol: !hasSecondFactor(factors),
    wasReset,
  };
  req.session.pendingSignIn = pending;
  await saveSession(req);
  return pending.mustEnrol ? '/login/enrol' : '/login/second-factor';
}

/** The session's pending sign-in while it is young enough; an expired one is forgotten. */
export function pendingSignInOf(services: Services, req: Request): PendingSignIn | null {
  const pending = req.session.pendingSignIn;
  if (!pending) return null;
  if (services.clock.now().toMillis() - pending.startedAt > PENDING_SIGN_IN_MINUTES * 60_000) {
    delete req.session.pendingSignIn;
    return null;
  }
  return pending;
}

export interface SignInOptions {
  /** Where to go now; by default the pending sign-in's `next`, else the home page. */
  next?: string;
  /** Session fields carried into the new session (recovery codes to show once, say). */
  keep?: Partial<Pick<SessionData, 'revealRecoveryCodes'>>;
}

/**
 * Every way of signing in ends here: a new session (passport regenerates it, so a session id known
 * before is worthless) holding the person, when they signed in and from where, how (`method`), and
 * when they last gave a second factor (not for 'password'); the sign-in is audited with its method.
 * Returns the local path to redirect to. An administrator's reset of the person's second factor is
 * told once: a sign-in without a local second step (password only, or SSO) then lands on
 * /account/security, which says so.
 */
export async function establishSignIn(
  services: Services,
  req: Request,
  user: Express.User,
  method: SignInMethod,
  options: SignInOptions = {},
): Promise<string> {
  const target = safeLocalPath(options.next ?? req.session.pendingSignIn?.next, '/');
  await new Promise<void>((resolve, reject) => req.logIn(user, (error) => (error ? reject(error as Error) : resolve())));
  const now = services.clock.now().toMillis();
  req.session.signedInAt = now;
  req.session.client = { userAgent: (req.get('user-agent') ?? '').slice(0, 500), address: req.ip ?? '' };
  req.session.signInMethod = method;
  if (method !== 'password') req.session.secondFactorAt = now;
  Object.assign(req.session, options.keep ?? {});
  await services.auth.recordSignIn(user.id, method);
  const wasReset = await services.mfa.takeResetNotice(user.id);
  // A second step just taken (or an enrolment) already said so on its own page; a sign-in without
  // one, by password or through the identity provider, is told here.
  if (wasReset && (method === 'password' || method === 'oidc')) return '/account/security?done=factorReset';
  return target;
}

/** establishSignIn for a handler that answers with the redirect itself. */
export function completeSignIn(
  services: Services,
  req: Request,
  res: Response,
  next: NextFunction,
  user: Express.User,
  method: SignInMethod,
  options: SignInOptions = {},
): void {
  establishSignIn(services, req, user, method, options)
    .then((target) => res.redirect(303, target))
    .catch(next);
}
