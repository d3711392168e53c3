import type { Request } from 'express';
import { notFound } from '../lib/errors';
import type { Services } from '../services';
import type { ParticipantResponse } from '../web/context';
import { paramsOr404 } from '../web/params';
import { fullNameOf, handoverFileName, handoverPdfOf, receiverRows, trajectoryRows } from './presentation';
import { HandoverParams } from './schemas';
import type { HandoverUse } from './service';

// A trajectory's handover: a page and a PDF for the receiving organisation. Anyone who may see the
// participant may open them (also once the participant is closed); each view and download is audited.

async function detailOf(services: Services, req: Request, res: ParticipantResponse, use: HandoverUse) {
  const { tid } = paramsOr404(HandoverParams, req);
  const detail = await services.handovers.produceHandover(res.locals.viewer, res.locals.participant.id, tid, use);
  if (!detail) throw notFound();
  return detail;
}

/** GET /participants/:id/trajectories/:tid/handover */
export async function showHandover(services: Services, req: Request, res: ParticipantResponse) {
  const { participant, t, fmt } = res.locals;
  const detail = await detailOf(services, req, res, { action: 'view' });
  const { handover } = detail;
  const base = `/participants/${participant.id}/trajectories/${handover.trajectoryId}`;
  res.render('handovers/show', {
    title: t('handovers.detail.title'),
    participant,
    heading: t('handovers.detail.heading', { name: fullNameOf(handover), organisation: handover.organisationName }),
    handover,
    trajectoryRows: trajectoryRows(handover, { t, fmt }),
    receiverRows: receiverRows(handover, { t, fmt }),
    openGoals: detail.openGoals,
    pdfHref: `${base}/handover.pdf`,
    // A closed participant gets no new trajectory (the form answers 404 then), so no link either.
    nextHref:
      participant.status === 'closed' ? null : `/participants/${participant.id}/trajectories/new?after=${handover.trajectoryId}`,
  });
}

/** GET /participants/:id/trajectories/:tid/handover.pdf: the export is audited before it streams. */
export async function downloadHandoverPdf(services: Services, req: Request, res: ParticipantResponse) {
  const { t, fmt, locale } = res.locals;
  const detail = await detailOf(services, req, res, { action: 'export', format: 'pdf' });
  const pdf = await handoverPdfOf(detail, {
    t,
    fmt,
    locale,
    organisationName: services.config.organisationName,
    generatedAt: services.clock.now().toJSDate(),
  });
  res.status(200);
  res.setHeader('Content-Type', 'application/pdf');
  res.setHeader('Content-Disposition', `attachment; filename="${handoverFileName(detail.handover, t)}"`);
  const stream = pdf.stream();
  // The headers are out by now: a failure halfway can only cut the download off.
  stream.on('error', (error) => res.destroy(error));
  stream.pipe(res);
}
