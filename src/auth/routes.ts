import { Router, type NextFunction, type Request, type Response } from 'express';
import type { AppDeps } from '../app-deps';
import { parseForm } from '../lib/forms';
import { safeLocalPath } from '../lib/safe-redirect';
import { recordSignIn, recordSignOut } from './service';
import { LocaleForm, LoginForm } from './schemas';
import { loginRateLimiters } from './rate-limit';
import { setUserLocale } from '../users/service';

function renderLogin(
  res: Response,
  status: number,
  data: { values?: Record<string, string>; errors?: Record<string, string>; formError?: string; notice?: string },
): void {
  res.status(status).render('auth/login', {
    title: res.locals.t('auth.login.title'),
    values: data.values ?? {},
    errors: data.errors ?? {},
    formError: data.formError ?? null,
    notice: data.notice ?? null,
  });
}

export function authRoutes(deps: AppDeps): Router {
  const router = Router();
  const { db, clock, config, passport } = deps;

  router.get('/login', (req, res) => {
    if (req.user) return res.redirect(303, safeLocalPath(req.query.next));
    const next = typeof req.query.next === 'string' ? safeLocalPath(req.query.next, '') : '';
    const notice =
      req.query.signedOut === '1' ? 'auth.login.signedOut' : req.query.expired === '1' ? 'auth.login.expired' : undefined;
    renderLogin(res, 200, { values: { email: '', next }, notice });
  });

  const limiters = loginRateLimiters({
    db,
    clock,
    max: config.loginRateLimit.max,
    windowMinutes: config.loginRateLimit.windowMinutes,
    onLimited: (req, res) => {
      const values = { email: typeof req.body?.email === 'string' ? req.body.email : '', next: '' };
      renderLogin(res, 429, {
        values,
        formError: res.locals.t('auth.login.tooManyAttempts', { minutes: config.loginRateLimit.windowMinutes }),
      });
    },
  });

  router.post('/login', ...limiters, (req: Request, res: Response, next: NextFunction) => {
    const form = parseForm(LoginForm, req.body);
    if (!form.ok) {
      // Never send the password back into the page.
      const values = { email: form.values.email ?? '', next: safeLocalPath(form.values.next, '') };
      return renderLogin(res, 422, { values, errors: form.errors });
    }
    passport.authenticate('local', (error: unknown, user: Express.User | false) => {
      if (error) return next(error);
      const values = { email: form.data.email, next: safeLocalPath(form.data.next, '') };
      if (!user) {
        // One message for an unknown email and a wrong password.
        return renderLogin(res, 401, { values, formError: res.locals.t('auth.login.invalid') });
      }
      // passport regenerates the session here, so a session id known before sign-in is worthless after it.
      req.logIn(user, (loginError) => {
        if (loginError) return next(loginError);
        req.session.signedInAt = clock.now().toMillis();
        recordSignIn(db, user.id)
          .then(() => res.redirect(303, safeLocalPath(form.data.next, '/')))
          .catch(next);
      });
    })(req, res, next);
  });

  router.post('/logout', (req, res, next) => {
    const userId = req.user?.id;
    const locale = req.user?.locale;
    // passport clears the user and regenerates the session id.
    req.logOut((error) => {
      if (error) return next(error);
      // The sign-in page that follows stays in the language the person was using.
      if (locale) req.session.locale = locale;
      const done = () => res.redirect(303, '/login?signedOut=1');
      if (userId === undefined) return done();
      recordSignOut(db, userId).then(done).catch(next);
    });
  });

  router.post('/locale', async (req, res) => {
    const form = parseForm(LocaleForm, req.body);
    const returnTo = safeLocalPath(req.body?.returnTo, '/');
    if (!form.ok) return res.redirect(303, returnTo);
    if (req.user) {
      await setUserLocale(db, req.user.id, form.data.locale, clock.now().toJSDate());
    } else {
      req.session.locale = form.data.locale;
    }
    res.redirect(303, returnTo);
  });

  return router;
}
