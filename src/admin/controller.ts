import type { Request } from 'express';
import { notFound } from '../lib/errors';
import { pageFromQuery, pageInfo } from '../lib/pagination';
import type { Services } from '../services';
import type { UserListRow } from '../users/service';
import type { SignedInResponse } from '../web/context';
import { paramsOr404 } from '../web/params';
import { noticeFrom, withNotice } from '../web/post-form';
import { UserIdParam } from './schemas';

/** The notices of the user list, by ?done= (the view shows its own text for each). */
const USER_NOTICES = { deactivated: 'deactivated', reactivated: 'reactivated' } as const;

/** The user of the URL; a malformed or unknown id answers 404. */
async function targetOf({ users }: Services, req: Request): Promise<UserListRow> {
  const { id } = paramsOr404(UserIdParam, req);
  const user = await users.findUser(id);
  if (!user) throw notFound();
  return user;
}

/** GET /admin/users: every account, active or not, a page at a time. */
export async function listUsers({ users }: Services, req: Request, res: SignedInResponse) {
  const page = pageFromQuery(req.query);
  const { rows, total } = await users.listUsersPage(page);
  res.render('admin/users', {
    title: res.locals.t('admin.users.title'),
    users: rows,
    pagination: pageInfo(page, total, rows.length),
    notice: noticeFrom(req, USER_NOTICES),
  });
}

/**
 * GET /admin/users/:id/deactivate: deactivation ends the person's sessions at once, so it gets a
 * confirmation page first. One's own account, or one already inactive, goes back to the list.
 */
export async function showDeactivateForm(services: Services, req: Request, res: SignedInResponse) {
  const target = await targetOf(services, req);
  if (target.id === res.locals.viewer.userId || !target.active) return res.redirect(303, '/admin/users');
  res.render('admin/user-deactivate', { title: res.locals.t('admin.users.deactivateTitle'), target });
}

/** POST /admin/users/:id/deactivate: an administrator cannot lock themselves out. */
export async function deactivateUser(services: Services, req: Request, res: SignedInResponse) {
  const { viewer } = res.locals;
  const target = await targetOf(services, req);
  if (target.id === viewer.userId) return res.redirect(303, '/admin/users');
  await services.users.deactivateUser(target.id, viewer.userId, services.clock.now().toJSDate());
  res.redirect(303, withNotice('/admin/users', 'deactivated'));
}

/** POST /admin/users/:id/reactivate */
export async function reactivateUser(services: Services, req: Request, res: SignedInResponse) {
  const target = await targetOf(services, req);
  await services.users.reactivateUser(target.id, res.locals.viewer.userId, services.clock.now().toJSDate());
  res.redirect(303, withNotice('/admin/users', 'reactivated'));
}
