import { Router } from 'express';
import type { AppDeps } from '../app-deps';
import { requireRole } from '../auth/guards';
import { notFound } from '../lib/errors';
import { pageFromQuery, pageInfo } from '../lib/pagination';
import { deactivateUser, findUser, listUsersPage, reactivateUser } from '../users/service';
import { UserIdParam } from './schemas';

export function adminRoutes(deps: AppDeps): Router {
  const router = Router();
  const { db, clock } = deps;
  router.use(requireRole('admin'));

  router.get('/users', async (req, res) => {
    const page = pageFromQuery(req.query);
    const { rows, total } = await listUsersPage(db, page);
    res.render('admin/users', {
      title: res.locals.t('admin.users.title'),
      users: rows,
      pagination: pageInfo(page, total, rows.length),
      notice: typeof req.query.done === 'string' ? req.query.done : null,
    });
  });

  async function loadTarget(params: unknown) {
    const parsed = UserIdParam.safeParse(params);
    if (!parsed.success) throw notFound();
    const user = await findUser(db, parsed.data.id);
    if (!user) throw notFound();
    return user;
  }

  // Deactivation ends the person's sessions at once: it gets a confirmation page first.
  router.get('/users/:id/deactivate', async (req, res) => {
    const target = await loadTarget(req.params);
    if (target.id === req.user!.id || !target.active) return res.redirect(303, '/admin/users');
    res.render('admin/user-deactivate', { title: res.locals.t('admin.users.deactivateTitle'), target });
  });

  router.post('/users/:id/deactivate', async (req, res) => {
    const target = await loadTarget(req.params);
    // An administrator cannot lock themselves out.
    if (target.id === req.user!.id) return res.redirect(303, '/admin/users');
    await deactivateUser(db, target.id, req.user!.id, clock.now().toJSDate());
    res.redirect(303, '/admin/users?done=deactivated');
  });

  router.post('/users/:id/reactivate', async (req, res) => {
    const target = await loadTarget(req.params);
    await reactivateUser(db, target.id, req.user!.id, clock.now().toJSDate());
    res.redirect(303, '/admin/users?done=reactivated');
  });

  return router;
}
