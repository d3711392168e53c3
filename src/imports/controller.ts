import type { Request } from 'express';
import { notFound } from '../lib/errors';
import { pageFromQuery, pageInfo } from '../lib/pagination';
import type { Services } from '../services';
import type { SignedInResponse } from '../web/context';
import { paramsOr404 } from '../web/params';
import { noticeFrom, withNotice } from '../web/post-form';
import {
  CHANGES_SHOWN,
  changeTexts,
  fieldLabel,
  fieldOptions,
  headerLanguage,
  IMPORT_NOTICES,
  problemText,
  PROBLEMS_SHOWN,
} from './presentation';
import { BatchIdParam, mappingChoicesOf, TemplateParam, UploadFields } from './schemas';
import { MAX_UPLOAD_BYTES, type PreviewResult } from './service';
import { templateFile } from './templates';
import { readUploadedForm, UploadRejected } from './upload';

const HOME = '/admin/import';
// A file name is shown on pages: control characters (a NUL cannot even be stored) are dropped.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;
const PREVIEW = '/admin/import/preview';

async function renderHome(services: Services, req: Request, res: SignedInResponse, status: number, error: string | null) {
  const page = pageFromQuery(req.query, 20);
  const { rows, total } = await services.imports.batchesPage(page);
  res.status(status).render('imports/index', {
    title: res.locals.t('imports.title'),
    batches: rows,
    pagination: pageInfo(page, total, rows.length),
    notice: noticeFrom(req, IMPORT_NOTICES),
    error,
    chosenKind: typeof req.query.kind === 'string' ? req.query.kind : 'participants',
  });
}

/** GET /admin/import: the upload form, the templates and the earlier imports. */
export async function showImport(services: Services, req: Request, res: SignedInResponse) {
  await renderHome(services, req, res, 200, null);
}

/** POST /admin/import (multipart): keeps the file for an hour and shows its dry run. */
export async function uploadFile(services: Services, req: Request, res: SignedInResponse) {
  let form;
  try {
    form = await readUploadedForm(req, MAX_UPLOAD_BYTES);
  } catch (error) {
    if (!(error instanceof UploadRejected)) throw error;
    return renderHome(services, req, res, error.reason === 'tooLarge' ? 413 : 400, `imports.file.${error.reason}`);
  }
  const fields = UploadFields.safeParse(form.fields);
  if (!fields.success) return renderHome(services, req, res, 422, 'imports.file.kind');
  if (!form.file || form.file.content.length === 0) {
    return renderHome(services, req, res, 422, form.file ? 'imports.file.empty' : 'imports.file.noFile');
  }
  const fileName = (form.file.name || 'upload').replace(CONTROL_CHARACTERS, '').slice(0, 200) || 'upload';
  await services.imports.storeUpload(
    res.locals.viewer,
    { kind: fields.data.kind, fileName, content: form.file.content },
    services.clock.now().toJSDate(),
  );
  res.redirect(303, PREVIEW);
}

function renderPreview(res: SignedInResponse, status: number, result: Exclude<PreviewResult, { kind: 'noUpload' }>) {
  const { t, locale, fmt } = res.locals;
  if (result.kind === 'unreadable') {
    return res.status(status).render('imports/preview', {
      title: t('imports.preview.title'),
      fileName: result.fileName,
      plan: null,
      fileProblem: problemText(result.problem, t),
    });
  }
  const { plan } = result;
  const changed = plan.rows.filter((row) => row.changes !== undefined);
  if (plan.unmapped.length > 0 || plan.missing.length > 0) {
    return res.status(status).render('imports/mapping', {
      title: t('imports.mapping.title'),
      fileName: result.fileName,
      unmapped: plan.unmapped,
      missing: plan.missing.map((key) => fieldLabel(plan.kind, key, locale)),
      options: fieldOptions(plan.kind, locale),
    });
  }
  res.status(status).render('imports/preview', {
    title: t('imports.preview.title'),
    fileName: result.fileName,
    plan: { kind: plan.kind, counts: plan.counts, rows: plan.rows.length },
    problems: plan.problems.slice(0, PROBLEMS_SHOWN).map((problem) => ({ ...problem, text: problemText(problem, t) })),
    hiddenProblems: Math.max(0, plan.problems.length - PROBLEMS_SHOWN),
    totalProblems: plan.problems.length,
    changes: changed
      .slice(0, CHANGES_SHOWN)
      .map((row) => ({ line: row.line, texts: changeTexts(plan.kind, row.changes!, t, fmt, locale) })),
    hiddenChanges: Math.max(0, changed.length - CHANGES_SHOWN),
    fileProblem: null,
  });
}

/** GET /admin/import/preview: the dry run of the uploaded file, or the mapping step first. */
export async function showPreview({ imports, clock }: Services, _req: Request, res: SignedInResponse) {
  const result = await imports.previewUpload(res.locals.viewer, clock.now().toJSDate());
  if (result.kind === 'noUpload') return res.redirect(303, withNotice(HOME, 'expired'));
  renderPreview(res, 200, result);
}

/** POST /admin/import/mapping: which field each unknown column holds. */
export async function saveMapping({ imports, clock }: Services, req: Request, res: SignedInResponse) {
  const saved = await imports.saveMapping(res.locals.viewer, mappingChoicesOf(req.body), clock.now().toJSDate());
  res.redirect(303, saved ? PREVIEW : withNotice(HOME, 'expired'));
}

/** POST /admin/import/discard: erases the uploaded file now. */
export async function discardUpload({ imports }: Services, _req: Request, res: SignedInResponse) {
  await imports.discardUpload(res.locals.viewer);
  res.redirect(303, withNotice(HOME, 'discarded'));
}

/** POST /admin/import/run: imports the uploaded file, all or nothing. */
export async function runImport({ imports, clock }: Services, _req: Request, res: SignedInResponse) {
  const outcome = await imports.runImport(res.locals.viewer, clock.now().toJSDate());
  switch (outcome.kind) {
    case 'imported':
      return res.redirect(303, withNotice(`/admin/import/batches/${outcome.batchId}`, 'imported'));
    case 'noUpload':
      return res.redirect(303, withNotice(HOME, 'expired'));
    case 'changedMeanwhile':
      return res.redirect(303, withNotice(PREVIEW, 'changedMeanwhile'));
    case 'problems':
      if (outcome.result.kind === 'noUpload') return res.redirect(303, withNotice(HOME, 'expired'));
      return renderPreview(res, 422, outcome.result);
  }
}

/** GET /admin/import/templates/:file: an empty template with the headers in the reader's language. */
export async function downloadTemplate(_services: Services, req: Request, res: SignedInResponse) {
  const { file } = paramsOr404(TemplateParam, req);
  const content = await templateFile(file.kind, headerLanguage(res.locals.locale), file.format);
  res.type(
    file.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  );
  res.attachment(`inbeeld-${file.kind}.${file.format}`);
  res.send(content);
}

async function batchOf({ imports }: Services, req: Request) {
  const { id } = paramsOr404(BatchIdParam, req);
  const batch = await imports.batchDetail(id);
  if (!batch) throw notFound();
  return batch;
}

/** GET /admin/import/batches/:id: what one import did, and its undo. */
export async function showBatch(services: Services, req: Request, res: SignedInResponse) {
  const batch = await batchOf(services, req);
  res.render('imports/batch', {
    title: res.locals.t('imports.batch.title', { id: batch.id }),
    batch,
    notice: noticeFrom(req, IMPORT_NOTICES),
  });
}

/** GET /admin/import/batches/:id/undo: the confirmation. */
export async function showUndo(services: Services, req: Request, res: SignedInResponse) {
  const batch = await batchOf(services, req);
  // Nothing to undo: a batch that is undone already, or one that created and changed nothing.
  if (batch.status !== 'published' || batch.records.length === 0) throw notFound();
  res.render('imports/undo', { title: res.locals.t('imports.batch.undoTitle'), batch });
}

/** POST /admin/import/batches/:id/undo */
export async function undoBatch(services: Services, req: Request, res: SignedInResponse) {
  const { id } = paramsOr404(BatchIdParam, req);
  const outcome = await services.imports.undoBatch(res.locals.viewer, id, services.clock.now().toJSDate());
  if (outcome.kind === 'notFound') throw notFound();
  if (outcome.kind === 'changed') {
    const batch = await batchOf(services, req);
    return res.status(409).render('imports/undo', {
      title: res.locals.t('imports.batch.undoTitle'),
      batch: { ...batch, changed: Math.max(batch.changed, outcome.changed) },
    });
  }
  res.redirect(303, withNotice(`/admin/import/batches/${id}`, 'undone'));
}
