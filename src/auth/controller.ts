import type { NextFunction, Request, RequestHandler } from 'express';
import { parseForm, submittedValues } from '../lib/forms';
import { safeLocalPath } from '../lib/safe-redirect';
import type { Services } from '../services';
import type { PublicResponse } from '../web/context';
import { LocaleForm, LoginForm } from './schemas';

interface LoginPage {
  values?: Record<string, string>;
  errors?: Record<string, string>;
  formError?: string;
  notice?: string;
}

function renderLogin(res: PublicResponse, status: number, page: LoginPage): void {
  res.status(status).render('auth/login', {
    title: res.locals.t('auth.login.title'),
    values: page.values ?? {},
    errors: page.errors ?? {},
    formError: page.formError ?? null,
    notice: page.notice ?? null,
  });
}

/** GET /login: a signed-in person goes on to `next`; after sign-out or expiry the page says so. */
export function showLoginForm(_services: Services, req: Request, res: PublicResponse) {
  if (res.locals.user) return res.redirect(303, safeLocalPath(req.query.next));
  const next = typeof req.query.next === 'string' ? safeLocalPath(req.query.next, '') : '';
  const notice =
    req.query.signedOut === '1' ? 'auth.login.signedOut' : req.query.expired === '1' ? 'auth.login.expired' : undefined;
  renderLogin(res, 200, { values: { email: '', next }, notice });
}

/** The sign-in rate limits before POST /login; a refused attempt gets the login page with 429. */
export function signInLimits(services: Services): RequestHandler[] {
  return services.loginRateLimiters((req, res) => refuseSignIn(services, req, res));
}

/** POST /login refused by a sign-in rate limit (per address or per email): 429 with the login page. */
function refuseSignIn({ config }: Services, req: Request, res: PublicResponse): void {
  const values = { email: submittedValues(req.body).email ?? '', next: '' };
  renderLogin(res, 429, {
    values,
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
}

/** POST /login (behind the rate limits): passport checks the credentials. */
export function signIn(services: Services, req: Request, res: PublicResponse, next: NextFunction) {
  const form = parseForm(LoginForm, req.body);
  if (!form.ok) {
    // Never send the password back into the page.
    const values = { email: form.values.email ?? '', next: safeLocalPath(form.values.next, '') };
    return renderLogin(res, 422, { values, errors: form.errors });
  }
  const attempt: Attempt = { services, req, res, next, form: form.data };
  const authenticate = services.passport.authenticate('local', (error: unknown, user: Express.User | false) =>
    credentialsChecked(attempt, error, user),
  ) as RequestHandler;
  void authenticate(req, res, next);
}

/** passport's verdict on the credentials: the person to sign in, or nobody. */
function credentialsChecked(attempt: Attempt, error: unknown, user: Express.User | false): void {
  const { req, res, next, form } = attempt;
  if (error) return next(error);
  const values = { email: form.email, next: safeLocalPath(form.next, '') };
  if (!user) {
    // One message for an unknown email and a wrong password.
    return renderLogin(res, 401, { values, formError: res.locals.t('auth.login.invalid') });
  }
  // passport regenerates the session here, so a session id known before sign-in is worthless after it.
  req.logIn(user, (loginError) => signedIn(attempt, user, loginError));
}

/** The new session holds the person: its lifetime starts now, the sign-in is audited. */
function signedIn({ services, req, res, next, form }: Attempt, user: Express.User, loginError: unknown): void {
  if (loginError) return next(loginError);
  req.session.signedInAt = services.clock.now().toMillis();
  services.auth
    .recordSignIn(user.id)
    .then(() => res.redirect(303, safeLocalPath(form.next, '/')))
    .catch(next);
}

/** POST /logout: passport clears the user and regenerates the session id. */
export function signOut(services: Services, req: Request, res: PublicResponse, next: NextFunction) {
  const { user } = res.locals;
  req.logOut((error) => {
    if (error) return next(error);
    signedOut(services, req, res, user).catch(next);
  });
}

/** After sign-out: the sign-in page that follows stays in the person's language; the sign-out is audited. */
async function signedOut({ auth }: Services, req: Request, res: PublicResponse, user: Express.User | null): Promise<void> {
  if (user) {
    req.session.locale = user.locale;
    await auth.recordSignOut(user.id);
  }
  res.redirect(303, '/login?signedOut=1');
}

/** POST /locale: a signed-in person's language is stored with them, a visitor's in the session. */
export async function changeLocale(services: Services, req: Request, res: PublicResponse) {
  const form = parseForm(LocaleForm, req.body);
  const returnTo = safeLocalPath(submittedValues(req.body).returnTo, '/');
  if (!form.ok) return res.redirect(303, returnTo);
  const { user } = res.locals;
  if (user) {
    await services.users.setUserLocale(user.id, form.data.locale, services.clock.now().toJSDate());
  } else {
    req.session.locale = form.data.locale;
  }
  res.redirect(303, returnTo);
}
