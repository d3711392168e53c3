import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../app-deps';
import { FormRejection, notFound } from '../lib/errors';
import { parseForm } from '../lib/forms';
import { pageFromQuery, pageInfo } from '../lib/pagination';
import { viewerFor, type Viewer } from '../lib/viewer';
import { exportFileName, writePeriodCsv, writePeriodXlsx, type WriteOutcome } from './export-files';
import { lastCompleteMonth, lastCompleteQuarter, monthLabel, quarterContaining, quarterLabel } from './periods';
import { CSV_SEPARATORS, EXPORT_FORMATS, PERIOD_KINDS, PeriodExportQuery, listPeriodFrom } from './schemas';
import {
  canExportPeriods,
  exportCommissionerChoices,
  startPeriodExport,
  trajectoriesActiveInPage,
  type PeriodExport,
} from './service';

const EXPORT_FIELD_LABELS: Record<string, string> = {
  commissionerId: 'reports.export.fields.commissionerId',
  periodKind: 'reports.export.fields.periodKind',
  month: 'reports.export.fields.month',
  quarter: 'reports.export.fields.quarter',
  from: 'reports.export.fields.from',
  to: 'reports.export.fields.to',
  format: 'reports.export.fields.format',
  separator: 'reports.export.fields.separator',
  pseudonymise: 'reports.export.fields.pseudonymise',
};

const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

export function reportRoutes(deps: AppDeps): Router {
  const router = Router();
  const { db, clock, config, logger } = deps;
  const viewerOf = (req: Request): Viewer => viewerFor(req.user!, clock, config.timeZone);

  /** The export form as it first appears: the last complete quarter, and the reader's usual CSV separator. */
  function exportDefaults(viewer: Viewer, res: Response): Record<string, string> {
    const quarter = lastCompleteQuarter(viewer.today);
    return {
      commissionerId: '',
      periodKind: 'quarter',
      month: monthLabel(lastCompleteMonth(viewer.today).from),
      quarter: quarterLabel(quarter.from),
      from: res.locals.fmt.dateInput(quarter.from),
      to: res.locals.fmt.dateInput(quarter.to),
      format: 'csv',
      separator: res.locals.locale === 'nl' ? 'semicolon' : 'comma',
      pseudonymise: '',
    };
  }

  /**
   * The reports page: the trajectory list for everyone, the export form for managers and admins.
   * `listQuery` is the list's own query string (empty when the page answers a rejected export).
   */
  async function renderReportsPage(
    res: Response,
    viewer: Viewer,
    listQuery: unknown,
    status: number,
    exportForm?: { values: Record<string, string>; errors: Record<string, string> },
  ) {
    const listPeriod = listPeriodFrom(listQuery, quarterContaining(viewer.today));
    const page = pageFromQuery(listQuery);
    const [{ rows, total }, commissioners] = await Promise.all([
      trajectoriesActiveInPage(db, viewer, listPeriod.period, page),
      canExportPeriods(viewer) ? exportCommissionerChoices(db) : Promise.resolve(null),
    ]);
    const periodParams = new URLSearchParams({ from: listPeriod.period.from, to: listPeriod.period.to });
    let exportView = null;
    if (commissioners) {
      const defaults = exportDefaults(viewer, res);
      const errors = exportForm?.errors ?? {};
      const values = { ...defaults, ...(exportForm?.values ?? {}) };
      // A choice that failed shows as not chosen rather than as the default.
      for (const field of Object.keys(errors)) values[field] = exportForm?.values[field] ?? '';
      exportView = {
        commissioners,
        values,
        errors,
        labels: EXPORT_FIELD_LABELS,
        periodKinds: PERIOD_KINDS,
        formats: EXPORT_FORMATS,
        separators: CSV_SEPARATORS,
      };
    }
    res.status(status).render('reports/index', {
      title: res.locals.t('reports.title'),
      role: viewer.role,
      list: {
        period: listPeriod.period,
        typed: {
          from: listPeriod.typed.from ?? res.locals.fmt.dateInput(listPeriod.period.from),
          to: listPeriod.typed.to ?? res.locals.fmt.dateInput(listPeriod.period.to),
        },
        problems: listPeriod.problems,
        rows,
        reportQuery: periodParams.toString(),
        pagination: pageInfo(page, total, rows.length),
      },
      exportForm: exportView,
      // The error summary and fields of the export form read these names.
      values: exportView?.values ?? {},
      errors: exportView?.errors ?? {},
      labels: EXPORT_FIELD_LABELS,
    });
  }

  router.get('/reports', async (req, res) => {
    await renderReportsPage(res, viewerOf(req), req.query, 200);
  });

  router.get('/reports/export', async (req, res) => {
    const viewer = viewerOf(req);
    if (!canExportPeriods(viewer)) throw notFound();
    const form = parseForm(PeriodExportQuery, req.query);
    if (!form.ok) return renderReportsPage(res, viewer, {}, 422, { values: form.values, errors: form.errors });

    let started: PeriodExport;
    try {
      started = await startPeriodExport(db, viewer, form.data, {
        timeZone: config.timeZone,
        pseudonymSecret: config.pseudonymSecret,
      });
    } catch (error) {
      if (error instanceof FormRejection) {
        return renderReportsPage(res, viewer, {}, 422, { values: form.values, errors: error.errors });
      }
      throw error;
    }

    const { t, fmt } = res.locals;
    const { request, commissioner } = started;
    const fileName = exportFileName({
      t,
      commissionerName: commissioner.name,
      period: request.period,
      pseudonymise: request.pseudonymise,
      extension: request.format,
    });
    res.status(200);
    res.setHeader('Content-Type', CONTENT_TYPES[request.format]);
    res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
    res.setHeader('Cache-Control', 'no-store');
    try {
      let outcome: WriteOutcome;
      if (request.format === 'csv') {
        outcome = await writePeriodCsv(started.rows, res, {
          t,
          pseudonymise: request.pseudonymise,
          separator: request.separator ?? 'comma',
        });
      } else {
        outcome = await writePeriodXlsx(started.rows, res, {
          t,
          pseudonymise: request.pseudonymise,
          commissionerName: commissioner.name,
          period: request.period,
          generatedAt: fmt.dateTime(clock.now()),
        });
      }
      if (outcome === 'aborted') logger.info({ reqId: req.id }, 'period export ended early: the client went away');
    } catch (error) {
      if (!res.headersSent) {
        // Nothing is out yet: the error page answers instead of a file.
        for (const header of ['Content-Type', 'Content-Disposition', 'Cache-Control']) res.removeHeader(header);
        throw error;
      }
      // Part of the file is out already: break the connection so the client sees a failed
      // download rather than a file that looks complete.
      logger.error({ reqId: req.id, err: error }, 'period export failed while streaming');
      res.destroy();
    } finally {
      await started.close();
    }
  });

  return router;
}
