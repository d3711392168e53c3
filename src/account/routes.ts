import { Router, type Response } from 'express';
import type { AppDeps } from '../app-deps';
import { parseForm } from '../lib/forms';
import { changeOwnPassword } from '../users/service';
import { PasswordForm } from './schemas';

function renderAccount(res: Response, status: number, errors: Record<string, string> = {}, notice: string | null = null) {
  res.status(status).render('account/index', { title: res.locals.t('account.title'), errors, notice });
}

export function accountRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get('/account', (req, res) => {
    renderAccount(res, 200, {}, req.query.done === 'password' ? 'account.password.changed' : null);
  });

  router.post('/account/password', async (req, res) => {
    const form = parseForm(PasswordForm, req.body);
    // Passwords are never echoed back into the page, so there are no values to keep here.
    if (!form.ok) return renderAccount(res, 422, form.errors);
    const changed = await changeOwnPassword(
      deps.db,
      req.user!.id,
      form.data.currentPassword,
      form.data.newPassword,
      req.sessionID,
      deps.clock.now().toJSDate(),
    );
    if (!changed) return renderAccount(res, 422, { currentPassword: 'account.password.currentWrong' });
    res.redirect(303, '/account?done=password');
  });

  return router;
}
