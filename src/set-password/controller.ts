import type { Request } from 'express';
import { homePathFor } from '../web/navigation';
import { beginSignIn } from '../auth/sign-in';
import type { Services } from '../services';
import type { SetPasswordLinkState } from '../users/service';
import type { PublicResponse } from '../web/context';
import { answeredWith, postForm } from '../web/post-form';
import { SetPasswordForm } from './schemas';

const LABELS = { password: 'setPassword.password', confirmPassword: 'setPassword.confirm' };

function tokenOf(req: Request): string {
  return typeof req.query.token === 'string' ? req.query.token.slice(0, 200) : '';
}

/**
 * A link that no longer works says why and who can help (410: it will not work again). Under
 * PASSWORD_SIGNIN=admins-only a link of anyone but an administrator is of no use (src/sso).
 */
function renderUnusable(res: PublicResponse, state: { kind: SetPasswordLinkState['kind'] | 'passwordOff' }) {
  res.status(410).render('set-password/unusable', { title: res.locals.t('setPassword.unusable.title'), reason: state.kind });
}

function renderForm(res: PublicResponse, status: number, page: { token: string; name: string; errors: Record<string, string> }) {
  res.status(status).render('set-password/form', {
    title: res.locals.t('setPassword.title'),
    token: page.token,
    name: page.name,
    values: {},
    errors: page.errors,
    labels: LABELS,
  });
}

/** The link's state, with a usable link of someone who may not use a password (PASSWORD_SIGNIN=admins-only) as `passwordOff`. */
async function linkState({ users, sso, config }: Services, token: string, now: Date) {
  const state = await users.setPasswordLinkState(token, now);
  if (state.kind === 'usable' && !(await sso.mayUsePassword(config.passwordSignIn, state.userId))) {
    return { kind: 'passwordOff' as const };
  }
  return state;
}

/** Someone already signed in in this browser would be signed in as another person: they sign out first. */
function renderSignedIn(res: PublicResponse) {
  res.status(409).render('set-password/signed-in', { title: res.locals.t('setPassword.title') });
}

/** GET /set-password?token=…: the page of a set-password link (an invitation, or a new link). */
export async function showSetPasswordForm(services: Services, req: Request, res: PublicResponse) {
  if (res.locals.user) return renderSignedIn(res);
  const token = tokenOf(req);
  const state = await linkState(services, token, services.clock.now().toJSDate());
  if (state.kind !== 'usable') return renderUnusable(res, state);
  renderForm(res, 200, { token, name: state.displayName, errors: {} });
}

/** POST /set-password: the new password (the policy of users/password-policy.ts); then the person is signed in. */
export async function setPassword(services: Services, req: Request, res: PublicResponse) {
  if (res.locals.user) return renderSignedIn(res);
  const now = services.clock.now().toJSDate();
  await postForm(req, res, {
    parse: SetPasswordForm,
    // Passwords are never sent back into the page: the person types them again.
    render: async (status, { values, errors }) => {
      const state = await linkState(services, values.token ?? '', now);
      if (state.kind !== 'usable') return renderUnusable(res, state);
      renderForm(res, status, { token: values.token ?? '', name: state.displayName, errors });
    },
    save: async ({ token, password }) => {
      const state = await linkState(services, token, now);
      return state.kind === 'passwordOff' ? state : services.users.setPasswordByLink(token, password, now);
    },
    saved: async (outcome) => {
      if (outcome.kind !== 'usable') return answeredWith(renderUnusable(res, outcome));
      const user = await services.users.findSignedInUser(outcome.userId, services.organisationToday());
      if (!user) return answeredWith(renderUnusable(res, { kind: 'unknown' }));
      // Signed in, or on to the second step when the person has one or their role requires one.
      await services.signInThrottle.succeeded(services.signInThrottle.attemptOf(user.email, req.ip));
      return beginSignIn(services, req, user, homePathFor(user.role));
    },
  });
}
