import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../app-deps';
import type { Locale } from '../config';
import { renderConflict } from '../web/conflict';
import { notFound } from '../lib/errors';
import { parseDateInput } from '../lib/form-fields';
import type { Formatters } from '../lib/format';
import { parseForm } from '../lib/forms';
import type { Translate } from '../platform/i18n';
import { paramsOr404 } from '../web/params';
import { viewerFor, type Viewer } from '../lib/viewer';
import { presentReport, reportPdfOf } from './presentation';
import { NarrativeForm, ReportParams } from './schemas';
import {
  choosePeriod,
  findReportSubject,
  produceTrajectoryReport,
  saveNarrative,
  type ReportPeriod,
  type ReportRef,
  type ReportSubject,
} from './service';

const PERIOD_LABELS: Record<string, string> = {
  from: 'trajectoryReports.period.from',
  to: 'trajectoryReports.period.to',
};

const NARRATIVE_LABELS: Record<string, string> = {
  progress: 'trajectoryReports.narrative.progress',
  nextSteps: 'trajectoryReports.narrative.nextSteps',
};

function reportPath(ref: ReportRef, period?: ReportPeriod): string {
  const base = `/participants/${ref.participantId}/trajectories/${ref.trajectoryId}/report`;
  return period ? `${base}?from=${period.from}&to=${period.to}` : base;
}

function pdfPath(ref: ReportRef, period: ReportPeriod): string {
  return `/participants/${ref.participantId}/trajectories/${ref.trajectoryId}/report.pdf?from=${period.from}&to=${period.to}`;
}

/** Letters, digits and dashes only (accents dropped), so the name is safe in any header and file system. */
function fileNamePart(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
}

function pdfFileName(subject: ReportSubject, period: ReportPeriod, t: Translate): string {
  const reference = fileNamePart(subject.reference ?? '') || String(subject.trajectoryId);
  return `${t('trajectoryReports.fileName')}-${reference}-${period.from}-${period.to}.pdf`;
}

/** Where a narrative form's errors show: the hidden period and version fields have no place of their own. */
function narrativeErrorsOf(errors: Record<string, string>): Record<string, string> {
  const shown: Record<string, string> = {};
  if (errors.from || errors.to) shown._form = 'trajectoryReports.narrative.periodInvalid';
  else if (errors.version) shown._form = 'validation.stale';
  if (errors.progress) shown.progress = errors.progress;
  if (errors.nextSteps) shown.nextSteps = errors.nextSteps;
  return shown;
}

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

/**
 * Trajectory reports for commissioners: an HTML print view and a PDF of one period, with the coach's
 * narrative for that period. Anyone who may see the participant may open them (closed ones too).
 */
export function trajectoryReportRoutes(deps: AppDeps): Router {
  const router = Router();
  const { db, clock, config } = deps;
  const viewerOf = (req: Request): Viewer => viewerFor(req.user!, clock, config.timeZone);

  async function subjectOr404(req: Request): Promise<{ viewer: Viewer; ref: ReportRef; subject: ReportSubject }> {
    const params = paramsOr404(ReportParams, req);
    const viewer = viewerOf(req);
    const ref = { participantId: params.id, trajectoryId: params.tid };
    const subject = await findReportSubject(db, viewer, ref);
    if (!subject) throw notFound();
    return { viewer, ref, subject };
  }

  async function renderPage(res: Response, viewer: Viewer, status: number, state: PageState): Promise<void> {
    const t = res.locals.t as Translate;
    const fmt = res.locals.fmt as Formatters;
    const ref = { participantId: state.subject.participantId, trajectoryId: state.subject.trajectoryId };
    const name = `${state.subject.firstName} ${state.subject.lastName}`;
    let document = null;
    let narrativeValues = state.narrativeValues;
    let lastSaved = null;
    let otherNarratives: Array<{ href: string; from: string; to: string }> = [];
    if (state.period) {
      const report = await produceTrajectoryReport(db, viewer, ref, state.period, { action: 'view' }, config.timeZone);
      if (!report) throw notFound();
      document = presentReport(report, {
        t,
        fmt,
        organisationName: config.organisationName,
        generatedAt: clock.now().toJSDate(),
      });
      narrativeValues ??= {
        progress: report.narrative?.progress ?? '',
        nextSteps: report.narrative?.nextSteps ?? '',
        version: String(report.narrative?.version ?? 0),
      };
      otherNarratives = report.otherNarrativePeriods.map((other) => ({ ...other, href: reportPath(ref, other) }));
      if (report.narrative && report.narrative.version > 0) {
        lastSaved = { name: report.narrative.updatedByName, at: report.narrative.updatedAt };
      }
    }
    res.status(status).render('trajectory-reports/report', {
      title: t('trajectoryReports.pageTitle', { name }),
      subject: state.subject,
      profileHref: `/participants/${ref.participantId}`,
      reportHref: reportPath(ref),
      narrativeAction: `${reportPath(ref)}/narrative`,
      pdfHref: state.period ? pdfPath(ref, state.period) : null,
      period: state.period,
      document,
      lastSaved,
      otherNarratives,
      periodValues: state.periodValues,
      periodErrors: state.periodErrors ?? {},
      periodLabels: PERIOD_LABELS,
      narrativeValues: narrativeValues ?? {},
      narrativeErrors: state.narrativeErrors ?? {},
      narrativeLabels: NARRATIVE_LABELS,
      notice: state.notice ?? null,
    });
  }

  router.get('/participants/:id/trajectories/:tid/report', async (req, res) => {
    const { viewer, subject } = await subjectOr404(req);
    const choice = choosePeriod(req.query, subject, viewer.today);
    if (!choice.ok) {
      return renderPage(res, viewer, 422, { subject, period: null, periodValues: choice.values, periodErrors: choice.errors });
    }
    const fmt = res.locals.fmt as Formatters;
    await renderPage(res, viewer, 200, {
      subject,
      period: choice.period,
      periodValues: { from: fmt.dateInput(choice.period.from), to: fmt.dateInput(choice.period.to) },
      notice: req.query.done === 'narrativeSaved' ? 'trajectoryReports.narrative.saved' : null,
    });
  });

  router.get('/participants/:id/trajectories/:tid/report.pdf', async (req, res) => {
    const { viewer, ref, subject } = await subjectOr404(req);
    const choice = choosePeriod(req.query, subject, viewer.today);
    // A period that cannot be reported on gets the page that says why, never a broken PDF.
    if (!choice.ok) {
      return renderPage(res, viewer, 422, { subject, period: null, periodValues: choice.values, periodErrors: choice.errors });
    }
    const report = await produceTrajectoryReport(
      db,
      viewer,
      ref,
      choice.period,
      { action: 'export', format: 'pdf' },
      config.timeZone,
    );
    if (!report) throw notFound();
    const t = res.locals.t as Translate;
    const document = presentReport(report, {
      t,
      fmt: res.locals.fmt as Formatters,
      organisationName: config.organisationName,
      generatedAt: clock.now().toJSDate(),
    });
    const pdf = await reportPdfOf(document, t, res.locals.locale as Locale);
    res.status(200);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="${pdfFileName(subject, choice.period, t)}"`);
    res.setHeader('Cache-Control', 'no-store');
    const stream = pdf.stream();
    // The headers are out by now: a failure halfway can only cut the download off, never pass for a whole PDF.
    stream.on('error', (error) => res.destroy(error));
    stream.pipe(res);
  });

  router.post('/participants/:id/trajectories/:tid/report/narrative', async (req, res) => {
    const { viewer, ref, subject } = await subjectOr404(req);
    const form = parseForm(NarrativeForm, req.body);
    if (!form.ok) {
      const from = parseDateInput(form.values.from ?? '');
      const to = parseDateInput(form.values.to ?? '');
      const period = from !== null && to !== null && from <= to ? { from, to } : null;
      const fmt = res.locals.fmt as Formatters;
      return renderPage(res, viewer, 422, {
        subject,
        period,
        periodValues: period
          ? { from: fmt.dateInput(period.from), to: fmt.dateInput(period.to) }
          : { from: form.values.from ?? '', to: form.values.to ?? '' },
        narrativeValues: form.values,
        narrativeErrors: narrativeErrorsOf(form.errors),
      });
    }
    const outcome = await saveNarrative(db, viewer, ref, form.data, clock.now().toJSDate());
    switch (outcome.kind) {
      case 'notFound':
        throw notFound();
      case 'conflict': {
        const period = { from: form.data.from, to: form.data.to };
        return renderConflict(res, {
          backHref: reportPath(ref, period),
          action: `${reportPath(ref)}/narrative`,
          labels: NARRATIVE_LABELS,
          current: { progress: outcome.current.progress, nextSteps: outcome.current.nextSteps },
          yours: { progress: form.data.progress, nextSteps: form.data.nextSteps },
          resubmit: {
            from: form.data.from,
            to: form.data.to,
            progress: form.data.progress,
            nextSteps: form.data.nextSteps,
            version: String(outcome.current.version),
          },
        });
      }
      case 'saved':
        return res.redirect(303, `${reportPath(ref, { from: form.data.from, to: form.data.to })}&done=narrativeSaved#narrative`);
    }
  });

  return router;
}
