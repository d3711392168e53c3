import type { Request } from 'express';
import type { DateTime } from 'luxon';
import { notFound } from '../lib/errors';
import type { Services } from '../services';
import type { ParticipantResponse } from '../web/context';
import { exportFileList, subjectAccessCandidateOf, zipArchiveOf, type SubjectAccessExport } from './service';

/**
 * GET /participants/:id/subject-access, for an admin or the participant's manager. The page only
 * names the person: the data itself leaves through the POST, which a link preview or prefetch cannot trigger.
 */
export function showSubjectAccess(_services: Services, _req: Request, res: ParticipantResponse) {
  const { viewer, participant, t } = res.locals;
  const candidate = subjectAccessCandidateOf(viewer, participant);
  if (!candidate) throw notFound();
  res.render('subject-access/index', {
    title: t('subjectAccess.page.title'),
    participant: candidate,
    files: exportFileList(t),
  });
}

/** The export's files as one ZIP download, streamed as it is compressed. */
function sendZip({ logger }: Services, req: Request, res: ParticipantResponse, exported: SubjectAccessExport, now: DateTime) {
  res.status(200);
  res.setHeader('Content-Type', 'application/zip');
  res.setHeader('Content-Disposition', `attachment; filename="${exported.fileName}"`);
  const archive = zipArchiveOf(exported.files, now.toJSDate());
  archive.on('error', (error: Error) => {
    // Headers are gone: all that is left is to cut the download off, so it cannot pass for complete.
    logger.error({ reqId: req.id, err: error }, 'subject-access archive failed');
    res.destroy(error);
  });
  archive.pipe(res);
}

/** POST /participants/:id/subject-access: the GDPR art. 15 export as a ZIP; the export is audited. */
export async function downloadSubjectAccess(services: Services, req: Request, res: ParticipantResponse) {
  const { viewer, participant, locale, t, fmt } = res.locals;
  // An erased file has nothing left to hand out: the answer is the date it was erased.
  if (participant.erasedAt) return showSubjectAccess(services, req, res);
  const { config, clock } = services;
  const now = clock.now();
  const exported = await services.subjectAccess.exportSubjectAccess(viewer, participant.id, {
    locale,
    t,
    fmt,
    timeZone: config.timeZone,
    organisationName: config.organisationName,
    now,
  });
  if (!exported) throw notFound();
  sendZip(services, req, res, exported, now);
}
