import { SUPPORTED_LOCALES } from '../config';
import type { Request } from 'express';
import { securityEvent } from '../platform/security-log';
import type { Services } from '../services';
import type { SignedInResponse } from '../web/context';
import { paramsOr404 } from '../web/params';
import { noticeFrom, postForm, withNotice, answeredWith } from '../web/post-form';
import { sessionView } from './presentation';
import { calendarSectionView } from '../calendar/presentation';
import { PasswordForm, SessionHandleParam } from './schemas';

const ACCOUNT_NOTICES = {
  password: 'account.password.changed',
  sessionEnded: 'account.sessions.ended',
  sessionGone: 'account.sessions.gone',
  othersEnded: 'account.sessions.othersEnded',
  mail: 'mail.account.saved',
} as const;

interface AccountPage {
  status: number;
  errors?: Record<string, string>;
  notice?: string | null;
  /** Above the password form: why the change was refused as a whole (too many wrong current passwords). */
  passwordError?: string | null;
}

/** The person's active sessions as the page lists them, this one marked. */
async function sessionsOf({ auth, clock, config }: Services, req: Request, res: SignedInResponse) {
  const { viewer, t, fmt } = res.locals;
  const signedInSince = clock.now().minus({ hours: config.session.absoluteHours }).toJSDate();
  const sessions = await auth.ownSessions(viewer.userId, req.sessionID, signedInSince);
  return sessions.map((session) => sessionView(session, t, fmt));
}

// Passwords are never echoed back into the page, so there are no values to keep here.
async function renderAccount(services: Services, req: Request, res: SignedInResponse, page: AccountPage): Promise<void> {
  // The mail section's choices (src/mail, views/mail/_account-section.ejs).
  const mailPreferences = await services.mailing.preferences(res.locals.viewer.userId, res.locals.viewer.role);

  const sessions = await sessionsOf(services, req, res);
  const calendarFeed = calendarSectionView(await services.calendar.calendarFeedOf(res.locals.viewer.userId), req, res.locals);
  res.status(page.status).render('account/index', {
    title: res.locals.t('account.title'),
    mailPreferences,
    errors: page.errors ?? {},
    notice: page.notice ?? null,
    passwordError: page.passwordError ?? null,
    sessions,
    calendarFeed,
    // The language choice: the person's own, or none (their team's default, else the organisation's).
    locales: SUPPORTED_LOCALES,
    defaultLocale: res.locals.viewer && req.user?.teamLocale ? req.user.teamLocale : services.config.defaultLocale,
    defaultFromTeam: Boolean(req.user?.teamLocale),
  });
}

/** GET /account: the signed-in person's own details, their sessions and the password form. */
export async function showAccount(services: Services, req: Request, res: SignedInResponse) {
  await renderAccount(services, req, res, { status: 200, notice: noticeFrom(req, ACCOUNT_NOTICES) });
}

/** The password form again: the current password was wrong (422), or wrong too often (429). */
function passwordRefused(services: Services, req: Request, res: SignedInResponse, tooOften: boolean): Promise<void> {
  if (tooOften) securityEvent('password_change_throttled', 'refused', { limit: 'wrong current passwords' });
  else securityEvent('password_change_failed', 'failure');
  if (!tooOften) {
    return renderAccount(services, req, res, { status: 422, errors: { currentPassword: 'account.password.currentWrong' } });
  }
  const minutes = services.config.loginRateLimit.windowMinutes;
  const passwordError = res.locals.t('account.password.tooManyAttempts', { minutes });
  return renderAccount(services, req, res, { status: 429, passwordError });
}

/**
 * POST /account/password: after checking the current password (at most five wrong ones in the
 * sign-in window, then 429); the person's other sessions are signed out.
 */
export async function changePassword(services: Services, req: Request, res: SignedInResponse) {
  const { userId } = res.locals.viewer;
  await postForm(req, res, {
    parse: PasswordForm,
    render: (status, { errors }) => renderAccount(services, req, res, { status, errors }),
    save: async ({ currentPassword, newPassword }) => {
      const now = services.clock.now().toJSDate();
      const change = () => services.users.changeOwnPassword(userId, currentPassword, newPassword, req.sessionID, now);
      // Only a wrong current password counts; a new password the policy refuses does not.
      const checked = await services.signInThrottle.currentPassword(userId, change, (outcome) => outcome.kind === 'changed');
      return checked.kind === 'refused' ? { kind: 'refused' as const } : checked.result;
    },
    saved: ({ kind }) =>
      kind === 'changed'
        ? withNotice('/account', 'password')
        : answeredWith(passwordRefused(services, req, res, kind === 'refused')),
  });
}

/** POST /account/sessions/:handle/end: one of the person's other sessions ends now (its next request goes to sign-in). */
export async function endSession({ auth }: Services, req: Request, res: SignedInResponse) {
  const { handle } = paramsOr404(SessionHandleParam, req);
  const outcome = await auth.endOwnSession(res.locals.viewer.userId, handle, req.sessionID);
  res.redirect(303, withNotice('/account#sessions', outcome.kind === 'ended' ? 'sessionEnded' : 'sessionGone'));
}

/** GET /account/sessions/end-others: every other session ends at once, so the page lists them and asks first. */
export async function showEndOtherSessions(services: Services, req: Request, res: SignedInResponse) {
  const others = (await sessionsOf(services, req, res)).filter((session) => !session.current);
  res.render('account/end-other-sessions', { title: res.locals.t('account.sessions.endOthersTitle'), others });
}

/** POST /account/sessions/end-others: every session of the person but this one ends (audited). */
export async function endOtherSessions({ auth }: Services, req: Request, res: SignedInResponse) {
  await auth.endOtherOwnSessions(res.locals.viewer.userId, req.sessionID);
  res.redirect(303, withNotice('/account#sessions', 'othersEnded'));
}
