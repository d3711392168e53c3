import { Router, type Request } from 'express';
import type { AppDeps } from '../app-deps';
import { notFound } from '../lib/errors';
import { idParam } from '../lib/form-fields';
import { paramsOr404 } from '../web/params';
import { viewerFor, type Viewer } from '../lib/viewer';
import { exportFileList, exportSubjectAccess, findSubjectAccessCandidate, zipArchiveOf } from './service';

export function subjectAccessRoutes(deps: AppDeps): Router {
  const router = Router();
  const { db, clock, config, logger } = deps;
  const viewerOf = (req: Request): Viewer => viewerFor(req.user!, clock, config.timeZone);

  // The page only names the person: the data itself leaves through the POST below, which a link
  // preview or prefetch cannot trigger.
  router.get('/participants/:id/subject-access', async (req, res) => {
    const { id } = paramsOr404(idParam, req);
    const participant = await findSubjectAccessCandidate(db, viewerOf(req), id);
    if (!participant) throw notFound();
    res.render('subject-access/index', {
      title: res.locals.t('subjectAccess.page.title'),
      participant,
      files: exportFileList(res.locals.t),
    });
  });

  router.post('/participants/:id/subject-access', async (req, res) => {
    const { id } = paramsOr404(idParam, req);
    const now = clock.now();
    const exported = await exportSubjectAccess(db, viewerOf(req), id, {
      locale: res.locals.locale,
      t: res.locals.t,
      fmt: res.locals.fmt,
      timeZone: config.timeZone,
      organisationName: config.organisationName,
      now,
    });
    if (!exported) throw notFound();
    res.status(200);
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader('Content-Disposition', `attachment; filename="${exported.fileName}"`);
    res.setHeader('Cache-Control', 'no-store');
    const archive = zipArchiveOf(exported.files, now.toJSDate());
    archive.on('error', (error: Error) => {
      // Headers are gone: all that is left is to cut the download off, so it cannot pass for complete.
      logger.error({ reqId: req.id, err: error }, 'subject-access archive failed');
      res.destroy(error);
    });
    archive.pipe(res);
  });

  return router;
}
