import type { Request } from 'express';
import { notFound } from '../lib/errors';
import { parseDateInput } from '../lib/form-fields';
import type { ReportPdf } from '../lib/pdf';
import type { Services } from '../services';
import { renderConflict } from '../web/conflict';
import type { ParticipantResponse } from '../web/context';
import { paramsOr404 } from '../web/params';
import { noticeFrom, postForm, withNotice, type FormState, answeredWith } from '../web/post-form';
import {
  NARRATIVE_LABELS,
  NOTICES,
  PERIOD_LABELS,
  narrativeErrorsOf,
  pdfFileName,
  pdfPath,
  presentReport,
  reportPath,
  reportPdfOf,
  type ReportDocument,
} from './presentation';
import { NarrativeForm, ReportParams } from './schemas';
import {
  choosePeriod,
  type NarrativeSaveOutcome,
  type PeriodChoice,
  type ReportPeriod,
  type ReportRef,
  type ReportSubject,
  type TrajectoryReport,
} from './service';

// Trajectory reports for commissioners: an HTML print view and a PDF of one period, with the coach's
// narrative for that period. Anyone who may see the participant may open them (closed ones too).

/** The trajectory of the URL with its participant (already loaded by the parent router), or 404. */
async function subjectOf({ trajectoryReports }: Services, req: Request, res: ParticipantResponse) {
  const params = paramsOr404(ReportParams, req);
  const ref: ReportRef = { participantId: res.locals.participant.id, trajectoryId: params.tid };
  const subject = await trajectoryReports.findReportSubject(res.locals.viewer, ref);
  if (!subject) throw notFound();
  return { ref, subject };
}

function refOf(subject: ReportSubject): ReportRef {
  return { participantId: subject.participantId, trajectoryId: subject.trajectoryId };
}

/** The report as translated text, for the HTML view and the PDF alike. */
function documentOf({ config, clock }: Services, res: ParticipantResponse, report: TrajectoryReport): ReportDocument {
  const { t, fmt } = res.locals;
  return presentReport(report, { t, fmt, organisationName: config.organisationName, generatedAt: clock.now().toJSDate() });
}

/** The page's report of a period (its view is audited) with the narrative written for it. */
async function reportPanel(services: Services, res: ParticipantResponse, ref: ReportRef, period: ReportPeriod) {
  const report = await services.trajectoryReports.produceTrajectoryReport(
    res.locals.viewer,
    ref,
    period,
    { action: 'view' },
    services.config.timeZone,
  );
  if (!report) throw notFound();
  const { narrative } = report;
  return {
    document: documentOf(services, res, report),
    narrativeValues: {
      progress: narrative?.progress ?? '',
      nextSteps: narrative?.nextSteps ?? '',
      version: String(narrative?.version ?? 0),
    },
    lastSaved: narrative && narrative.version > 0 ? { name: narrative.updatedByName, at: narrative.updatedAt } : null,
    otherNarratives: report.otherNarrativePeriods.map((other) => ({ ...other, href: reportPath(ref, other) })),
  };
}

type RefusedPeriod = Extract<PeriodChoice, { ok: false }>;

interface PageState {
  subject: ReportSubject;
  /** Null when the period asked for cannot be reported on; the page then shows the period form only. */
  period: ReportPeriod | null;
  periodValues: Record<string, string>;
  periodErrors?: Record<string, string>;
  narrativeValues?: Record<string, string>;
  narrativeErrors?: Record<string, string>;
  notice?: string | null;
}

async function renderPage(services: Services, res: ParticipantResponse, status: number, state: PageState) {
  const { subject, period } = state;
  const ref = refOf(subject);
  const panel = period ? await reportPanel(services, res, ref, period) : null;
  // The report is made to be shared with the commissioner: without that consent the page says so.
  const sharingConsent = await services.consents.hasCurrentConsent(ref.participantId, 'report_sharing', res.locals.viewer.today);
  res.status(status).render('trajectory-reports/report', {
    title: res.locals.t('trajectoryReports.pageTitle', { name: `${subject.firstName} ${subject.lastName}` }),
    subject,
    profileHref: `/participants/${ref.participantId}`,
    reportHref: reportPath(ref),
    narrativeAction: `${reportPath(ref)}/narrative`,
    pdfHref: period ? pdfPath(ref, period) : null,
    period,
    document: panel?.document ?? null,
    lastSaved: panel?.lastSaved ?? null,
    otherNarratives: panel?.otherNarratives ?? [],
    periodValues: state.periodValues,
    periodErrors: state.periodErrors ?? {},
    periodLabels: PERIOD_LABELS,
    narrativeValues: state.narrativeValues ?? panel?.narrativeValues ?? {},
    narrativeErrors: state.narrativeErrors ?? {},
    narrativeLabels: NARRATIVE_LABELS,
    notice: state.notice ?? null,
    sharingConsent,
  });
}

/** A period that cannot be reported on: the period form only, with why (422). */
function renderRefusedPeriod(services: Services, res: ParticipantResponse, subject: ReportSubject, choice: RefusedPeriod) {
  return renderPage(services, res, 422, { subject, period: null, periodValues: choice.values, periodErrors: choice.errors });
}

function periodValuesOf(res: ParticipantResponse, period: ReportPeriod): Record<string, string> {
  return { from: res.locals.fmt.dateInput(period.from), to: res.locals.fmt.dateInput(period.to) };
}

/** GET /participants/:id/trajectories/:tid/report: the print view of a period (?from=&to=, else the whole trajectory). */
export async function showReport(services: Services, req: Request, res: ParticipantResponse) {
  const { subject } = await subjectOf(services, req, res);
  const choice = choosePeriod(req.query, subject, res.locals.viewer.today);
  if (!choice.ok) return renderRefusedPeriod(services, res, subject, choice);
  await renderPage(services, res, 200, {
    subject,
    period: choice.period,
    periodValues: periodValuesOf(res, choice.period),
    notice: noticeFrom(req, NOTICES),
  });
}

/** The PDF as a download; the headers are out once it streams, so a failure can only cut it off. */
function sendPdf(res: ParticipantResponse, pdf: ReportPdf, fileName: string) {
  res.status(200);
  res.setHeader('Content-Type', 'application/pdf');
  res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
  const stream = pdf.stream();
  // The headers are out by now: a failure halfway can only cut the download off, never pass for a whole PDF.
  stream.on('error', (error) => res.destroy(error));
  stream.pipe(res);
}

/** GET /participants/:id/trajectories/:tid/report.pdf: the same report as a PDF; the export is audited. */
export async function downloadReportPdf(services: Services, req: Request, res: ParticipantResponse) {
  const { viewer, t, locale } = res.locals;
  const { ref, subject } = await subjectOf(services, req, res);
  const choice = choosePeriod(req.query, subject, viewer.today);
  // A period that cannot be reported on gets the page that says why, never a broken PDF.
  if (!choice.ok) return renderRefusedPeriod(services, res, subject, choice);
  const report = await services.trajectoryReports.produceTrajectoryReport(
    viewer,
    ref,
    choice.period,
    { action: 'export', format: 'pdf' },
    services.config.timeZone,
  );
  if (!report) throw notFound();
  const pdf = await reportPdfOf(documentOf(services, res, report), t, locale);
  sendPdf(res, pdf, pdfFileName(subject, choice.period, t));
}

/**
 * A refused narrative form: the report of the form's own period when its hidden dates still make
 * one, else the period form with what they said; the text as typed either way.
 */
function renderRefusedNarrative(
  services: Services,
  res: ParticipantResponse,
  status: number,
  subject: ReportSubject,
  { values, errors }: FormState,
) {
  const from = parseDateInput(values.from ?? '');
  const to = parseDateInput(values.to ?? '');
  const period = from !== null && to !== null && from <= to ? { from, to } : null;
  return renderPage(services, res, status, {
    subject,
    period,
    periodValues: period ? periodValuesOf(res, period) : { from: values.from ?? '', to: values.to ?? '' },
    narrativeValues: values,
    narrativeErrors: narrativeErrorsOf(errors),
  });
}

type NarrativeConflict = Extract<NarrativeSaveOutcome, { kind: 'conflict' }>['current'];

/** A narrative changed meanwhile: the stored text beside the one sent. */
function renderNarrativeConflict(res: ParticipantResponse, ref: ReportRef, form: NarrativeForm, current: NarrativeConflict) {
  renderConflict(res, {
    backHref: reportPath(ref, { from: form.from, to: form.to }),
    action: `${reportPath(ref)}/narrative`,
    labels: NARRATIVE_LABELS,
    current: { progress: current.progress, nextSteps: current.nextSteps },
    yours: { progress: form.progress, nextSteps: form.nextSteps },
    resubmit: {
      from: form.from,
      to: form.to,
      progress: form.progress,
      nextSteps: form.nextSteps,
      version: String(current.version),
    },
  });
}

/** POST /participants/:id/trajectories/:tid/report/narrative: the narrative of the form's period. */
export async function saveReportNarrative(services: Services, req: Request, res: ParticipantResponse) {
  const { viewer } = res.locals;
  const { ref, subject } = await subjectOf(services, req, res);
  await postForm(req, res, {
    parse: NarrativeForm,
    render: (status, state) => renderRefusedNarrative(services, res, status, subject, state),
    save: (form) => services.trajectoryReports.saveNarrative(viewer, ref, form, services.clock.now().toJSDate()),
    saved: (outcome, { data: form }) => {
      if (outcome.kind === 'conflict') return answeredWith(renderNarrativeConflict(res, ref, form, outcome.current));
      return withNotice(`${reportPath(ref, { from: form.from, to: form.to })}#narrative`, 'narrativeSaved');
    },
  });
}
