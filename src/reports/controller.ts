import type { Request } from 'express';
import { parseForm } from '../lib/forms';
import { pageFromQuery, pageInfo } from '../lib/pagination';
import type { Services } from '../services';
import type { SignedInResponse } from '../web/context';
import type { FormState } from '../web/post-form';
import { exportFileName, writePeriodCsv, writePeriodXlsx, type WriteOutcome } from './export-files';
import { quarterContaining } from './periods';
import { EXPORT_FIELD_LABELS, exportDefaults, exportFormView, listView } from './presentation';
import { PeriodExportQuery, listPeriodFrom } from './schemas';
import { canExportPeriods, type PeriodExport } from './service';

const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/**
 * The reports page: the trajectory list for everyone, the export form for managers and admins.
 * `listQuery` is the list's own query string (empty when the page answers a refused export).
 */
async function renderReportsPage(
  services: Services,
  res: SignedInResponse,
  listQuery: unknown,
  status: number,
  sent?: FormState,
) {
  const { viewer, t, fmt, locale } = res.locals;
  const listPeriod = listPeriodFrom(listQuery, quarterContaining(viewer.today));
  const page = pageFromQuery(listQuery);
  const [{ rows, total }, commissioners] = await Promise.all([
    services.reports.trajectoriesActiveInPage(viewer, listPeriod.period, page),
    canExportPeriods(viewer) ? services.reports.exportCommissionerChoices() : Promise.resolve(null),
  ]);
  const exportView = commissioners ? exportFormView(commissioners, exportDefaults(viewer, fmt, locale), sent) : null;
  res.status(status).render('reports/index', {
    title: t('reports.title'),
    role: viewer.role,
    list: listView(listPeriod, rows, pageInfo(page, total, rows.length), fmt),
    exportForm: exportView,
    // The error summary and fields of the export form read these names.
    values: exportView?.values ?? {},
    errors: exportView?.errors ?? {},
    labels: EXPORT_FIELD_LABELS,
  });
}

/** GET /reports: the trajectories active in a period (this quarter unless ?from=&to= say otherwise). */
export async function showReports(services: Services, req: Request, res: SignedInResponse) {
  await renderReportsPage(services, res, req.query, 200);
}

/** The download's status and headers; they leave with the first bytes of the file. */
function startDownload(res: SignedInResponse, { request, commissioner }: PeriodExport) {
  const fileName = exportFileName({
    t: res.locals.t,
    commissionerName: commissioner.name,
    period: request.period,
    pseudonymise: request.pseudonymise,
    extension: request.format,
  });
  res.status(200);
  res.setHeader('Content-Type', CONTENT_TYPES[request.format]);
  res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
}

/** Streams the rows into the response as the file asked for. */
function writeExport(
  { clock }: Services,
  res: SignedInResponse,
  { request, commissioner, rows }: PeriodExport,
): Promise<WriteOutcome> {
  const { t, fmt } = res.locals;
  if (request.format === 'csv') {
    return writePeriodCsv(rows, res, { t, pseudonymise: request.pseudonymise, separator: request.separator ?? 'comma' });
  }
  return writePeriodXlsx(rows, res, {
    t,
    pseudonymise: request.pseudonymise,
    commissionerName: commissioner.name,
    period: request.period,
    generatedAt: fmt.dateTime(clock.now()),
  });
}

/** A failed export: the error page while nothing is out yet, else a broken connection. */
function failExport({ logger }: Services, req: Request, res: SignedInResponse, error: unknown): void {
  if (!res.headersSent) {
    // Nothing is out yet: the error page answers instead of a file.
    for (const header of ['Content-Type', 'Content-Disposition', 'Cache-Control']) res.removeHeader(header);
    throw error;
  }
  // Part of the file is out already: break the connection so the client sees a failed
  // download rather than a file that looks complete.
  logger.error({ reqId: req.id, err: error }, 'period export failed while streaming');
  res.destroy();
}

/**
 * GET /reports/export, the export form (a GET): one commissioner's period export as CSV or XLSX,
 * streamed; the export is audited. A refused form shows the reports page again (422).
 */
export async function exportPeriod(services: Services, req: Request, res: SignedInResponse) {
  const { config, logger } = services;
  const form = parseForm(PeriodExportQuery, req.query);
  if (!form.ok) return renderReportsPage(services, res, {}, 422, { values: form.values, errors: form.errors });
  const options = { timeZone: config.timeZone, pseudonymSecret: config.pseudonymSecret };
  const started = await services.reports.startPeriodExport(res.locals.viewer, form.data, options);
  if (started.kind === 'rejected')
    return renderReportsPage(services, res, {}, 422, { values: form.values, errors: started.errors });
  startDownload(res, started);
  try {
    const outcome = await writeExport(services, res, started);
    if (outcome === 'aborted') logger.info({ reqId: req.id }, 'period export ended early: the client went away');
  } catch (error) {
    failExport(services, req, res, error);
  } finally {
    await started.close();
  }
}
