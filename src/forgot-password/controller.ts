import type { Request } from 'express';
import { parseForm } from '../lib/forms';
import { securityEvent } from '../platform/security-log';
import type { Services } from '../services';
import type { PublicResponse } from '../web/context';
import { ForgotPasswordForm } from './schemas';

const LABELS = { email: 'forgotPassword.email' };

interface ForgotPasswordPage {
  values?: Record<string, string>;
  errors?: Record<string, string>;
  formError?: string | null;
  /** The address a link was asked for: the page says what happens next, the same for any address. */
  sentTo?: string | null;
}

function renderPage({ mailing }: Services, res: PublicResponse, status: number, page: ForgotPasswordPage) {
  res.status(status).render('forgot-password/form', {
    title: res.locals.t('forgotPassword.title'),
    available: mailing.configured,
    values: page.values ?? {},
    errors: page.errors ?? {},
    labels: LABELS,
    formError: page.formError ?? null,
    sentTo: page.sentTo ?? null,
  });
}

/** GET /forgot-password: the form, or (without mail) where to turn instead. Someone signed in has an account page. */
export function showForgotPassword(services: Services, _req: Request, res: PublicResponse) {
  if (res.locals.user) return res.redirect(303, '/account');
  renderPage(services, res, 200, {});
}

/**
 * POST /forgot-password: the same answer whether or not the address has an account, and as fast:
 * the link is made and mailed after the answer. Limited like sign-in (auth/service.ts
 * PASSWORD_RESET_LIMITS), counted for every address typed.
 */
export async function requestPasswordLink(services: Services, req: Request, res: PublicResponse) {
  const { mailing, signInThrottle, clock, logger, config } = services;
  if (res.locals.user) return res.redirect(303, '/account');
  if (!mailing.configured) return renderPage(services, res, 200, {});
  const form = parseForm(ForgotPasswordForm, req.body);
  if (!form.ok) return renderPage(services, res, 422, { values: { email: form.values.email ?? '' }, errors: form.errors });
  const { email } = form.data;
  if (!(await signInThrottle.passwordReset(signInThrottle.attemptOf(email, req.ip)))) {
    securityEvent('password_reset_throttled', 'refused', { attemptedEmail: email, limit: 'password reset requests' });
    const formError = res.locals.t('forgotPassword.tooMany', { minutes: config.loginRateLimit.windowMinutes });
    return renderPage(services, res, 429, { values: { email }, formError });
  }
  securityEvent('password_reset_requested', 'success', { attemptedEmail: email });
  const now = clock.now().toJSDate();
  mailing.inBackground(
    async () => {
      // PASSWORD_SIGNIN=admins-only: only an administrator gets a link (the answer is the same).
      if (await services.sso.mayUsePasswordByEmail(config.passwordSignIn, email)) await mailing.mailPasswordReset(email, now);
    },
    (error) => logger.warn({ err: error }, 'forgot password: no link made or mailed'),
  );
  renderPage(services, res, 200, { sentTo: email });
}
