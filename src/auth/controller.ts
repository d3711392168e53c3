import { effectiveLocale } from '../platform/i18n';
import type { NextFunction, Request, RequestHandler } from 'express';
import { parseForm, submittedValues } from '../lib/forms';
import { safeLocalPath } from '../lib/safe-redirect';
import { securityEvent } from '../platform/security-log';
import type { Services } from '../services';
import type { PublicResponse } from '../web/context';
import { rememberLanguage } from '../web/language';
import { SESSION_COOKIE } from '../web/setup/session';
import { LocaleForm, LoginForm } from './schemas';
import type { SignInAttempt } from './service';
import { isSsoRefusal } from '../sso/service';
import { beginSignIn } from './sign-in';

interface LoginPage {
  values?: Record<string, string>;
  errors?: Record<string, string>;
  formError?: string;
  notice?: string;
  /** Sign-in cannot work over this connection (see cannotSignInHere): the page says why instead of showing the form. */
  insecure?: boolean;
}

function renderLogin(res: PublicResponse, status: number, page: LoginPage): void {
  res.status(status).render('auth/login', {
    title: res.locals.t('auth.login.title'),
    values: page.values ?? {},
    errors: page.errors ?? {},
    formError: page.formError ?? null,
    notice: page.notice ?? null,
    insecure: page.insecure ?? false,
  });
}

/**
 * In production the cookies are Secure, so a browser keeps them only from an HTTPS page: over plain
 * HTTP, or behind a TLS proxy InBeeld does not trust (TRUST_PROXY), sign-in cannot work.
 */
function cannotSignInHere({ config }: Services, req: Request): boolean {
  return config.isProduction && !req.secure;
}

/** GET /login: a signed-in person goes on to `next`; after sign-out or expiry the page says so. */
export function showLoginForm(services: Services, req: Request, res: PublicResponse) {
  if (res.locals.user) return res.redirect(303, safeLocalPath(req.query.next));
  const next = typeof req.query.next === 'string' ? safeLocalPath(req.query.next, '') : '';
  const notice =
    req.query.signedOut === '1'
      ? 'auth.login.signedOut'
      : req.query.expired === '1'
        ? 'auth.login.expired'
        : req.query.pendingExpired === '1'
          ? 'mfa.secondStep.expired'
          : undefined;
  // A single sign-on that signed nobody in (src/sso) or a refused passwordless sign-in (src/passkeys,
  // one message for every reason) comes back here with why.
  const formError = isSsoRefusal(req.query.sso)
    ? res.locals.t(`sso.refused.${req.query.sso}`)
    : req.query.passkey === 'failed'
      ? res.locals.t('passkeys.signIn.failed')
      : undefined;
  renderLogin(res, 200, { values: { email: '', next }, notice, formError, insecure: cannotSignInHere(services, req) });
}

/** POST /login refused by a limit on failed sign-ins: 429 with the sign-in page. */
function refuseSignIn({ config }: Services, res: PublicResponse, form: LoginForm): void {
  renderLogin(res, 429, {
    values: { email: form.email, next: safeLocalPath(form.next, '') },
    formError: res.locals.t('auth.login.tooManyAttempts', { minutes: config.loginRateLimit.windowMinutes }),
  });
}

/** One sign-in attempt, as passport's callbacks pass it along. */
interface Attempt {
  services: Services;
  req: Request;
  res: PublicResponse;
  next: NextFunction;
  form: LoginForm;
  attempt: SignInAttempt;
}

/** POST /login: within the limits on failed sign-ins, after their delay, passport checks the credentials. */
export async function signIn(services: Services, req: Request, res: PublicResponse, next: NextFunction) {
  if (cannotSignInHere(services, req)) return renderLogin(res, 403, { insecure: true });
  const form = parseForm(LoginForm, req.body);
  if (!form.ok) {
    // Never send the password back into the page.
    const values = { email: form.values.email ?? '', next: safeLocalPath(form.values.next, '') };
    return renderLogin(res, 422, { values, errors: form.errors });
  }
  const attempt = services.signInThrottle.attemptOf(form.data.email, req.ip);
  if (!(await services.signInThrottle.admit(attempt))) {
    securityEvent('sign_in_throttled', 'refused', { attemptedEmail: form.data.email, limit: 'sign-in failures' });
    return refuseSignIn(services, res, form.data);
  }
  const current: Attempt = { services, req, res, next, form: form.data, attempt };
  const authenticate = services.passport.authenticate('local', (error: unknown, user: Express.User | false) =>
    credentialsChecked(current, error, user),
  ) as RequestHandler;
  void authenticate(req, res, next);
}

/** passport's verdict on the credentials: the person to sign in, or a failure that counts. */
function credentialsChecked(current: Attempt, error: unknown, user: Express.User | false): void {
  const { services, req, res, next, form, attempt } = current;
  if (error) return next(error);
  if (!user) {
    // One message for an unknown email and a wrong password.
    const values = { email: form.email, next: safeLocalPath(form.next, '') };
    services.signInThrottle
      .failed(attempt)
      .then((accountId) => {
        // The account's id when the email has one; the email itself only as its keyed hash.
        securityEvent('sign_in_failed', 'failure', { userId: accountId, attemptedEmail: form.email });
        renderLogin(res, 401, { values, formError: res.locals.t('auth.login.invalid') });
      })
      .catch(next);
    return;
  }
  // PASSWORD_SIGNIN=admins-only: the right password of anyone else signs nobody in (they use single sign-on).
  if (services.config.passwordSignIn === 'admins-only' && user.role !== 'admin') {
    securityEvent('sign_in_failed', 'refused', { userId: user.id, refusal: 'passwordOff' });
    const values = { email: form.email, next: safeLocalPath(form.next, '') };
    return renderLogin(res, 403, { values, formError: res.locals.t('sso.refused.passwordOff') });
  }
  // The password was right: signed in now, or the second step first (src/auth/sign-in.ts).
  services.signInThrottle
    .succeeded(attempt)
    .then(() => beginSignIn(services, req, user, form.next ?? ''))
    .then((target) => res.redirect(303, target))
    .catch(next);
}

/**
 * POST /logout: the session row is removed and its cookie cleared, so nothing is stored for the
 * signed-out visitor; the sign-in page that follows stays in the person's language (a cookie).
 */
export function signOut(services: Services, req: Request, res: PublicResponse, next: NextFunction) {
  const { user } = res.locals;
  req.session.destroy((error) => {
    if (error) return next(error);
    signedOut(services, res, user).catch(next);
  });
}

async function signedOut({ auth, config }: Services, res: PublicResponse, user: Express.User | null): Promise<void> {
  res.clearCookie(SESSION_COOKIE, { path: '/' });
  if (user) {
    const locale = effectiveLocale({ own: user.ownLocale, team: user.teamLocale, organisation: config.defaultLocale });
    rememberLanguage(res, locale, config.isProduction);
    await auth.recordSignOut(user.id);
  }
  res.redirect(303, '/login?signedOut=1');
}

/** POST /locale: a signed-in person's language is stored with them, a visitor's in a cookie. */
export async function changeLocale(services: Services, req: Request, res: PublicResponse) {
  const form = parseForm(LocaleForm, req.body);
  const returnTo = safeLocalPath(submittedValues(req.body).returnTo, '/');
  if (!form.ok) return res.redirect(303, returnTo);
  const { user } = res.locals;
  if (user) {
    // "team": no choice of their own any more, so the team's default applies again.
    const own = form.data.locale === 'team' ? null : form.data.locale;
    await services.users.setUserLocale(user.id, own, services.clock.now().toJSDate());
  } else if (form.data.locale !== 'team') {
    rememberLanguage(res, form.data.locale, services.config.isProduction);
  }
  res.redirect(303, returnTo);
}
