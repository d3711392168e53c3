import type { Request } from 'express';
import type { Services } from '../services';
import type { SignedInResponse } from '../web/context';
import { noticeFrom, postForm, withNotice, answeredWith } from '../web/post-form';
import { PasswordForm } from './schemas';

const ACCOUNT_NOTICES = { password: 'account.password.changed' } as const;

// Passwords are never echoed back into the page, so there are no values to keep here.
function renderAccount(res: SignedInResponse, status: number, errors: Record<string, string>, notice: string | null = null) {
  res.status(status).render('account/index', { title: res.locals.t('account.title'), errors, notice });
}

/** GET /account: the signed-in person's own details and the password form. */
export function showAccount(_services: Services, req: Request, res: SignedInResponse) {
  renderAccount(res, 200, {}, noticeFrom(req, ACCOUNT_NOTICES));
}

/** POST /account/password: after checking the current password; the person's other sessions are signed out. */
export async function changePassword(services: Services, req: Request, res: SignedInResponse) {
  await postForm(req, res, {
    parse: PasswordForm,
    render: (status, { errors }) => renderAccount(res, status, errors),
    save: ({ currentPassword, newPassword }) => {
      const now = services.clock.now().toJSDate();
      return services.users.changeOwnPassword(res.locals.viewer.userId, currentPassword, newPassword, req.sessionID, now);
    },
    saved: ({ kind }) =>
      kind === 'changed'
        ? withNotice('/account', 'password')
        : answeredWith(renderAccount(res, 422, { currentPassword: 'account.password.currentWrong' })),
  });
}
