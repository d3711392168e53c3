import type { Kysely } from 'kysely';
import type { Database, ImportKind } from '../db/schema';
import type { Page } from '../lib/pagination';
import type { Viewer } from '../lib/viewer';
import { recordAuditEvent } from '../platform/audit/service';
import { tryTakeJobLock } from '../platform/jobs';
import { refreshRiskStates } from '../risk/state';
import type { ImportProblem } from './cells';
import { IMPORT_FIELDS } from './fields';
import { planImport, type ColumnMapping, type ImportPlan } from './plan';
import {
  auditHoursChanges,
  auditRecords,
  countBatchRecords,
  countChangedRecords,
  countStaleTargets,
  deleteExpired,
  deleteUpload,
  findBatch,
  findUpload,
  finishBatch,
  insertBatch,
  insertStagingRows,
  listBatches,
  lockHoursTargets,
  lockPublishedBatch,
  lockStagingBatch,
  markUndone,
  participantIdsOfBatch,
  publishEmployers,
  publishParticipants,
  publishPlacements,
  replaceUpload,
  revertBatch,
  saveUploadMapping,
  stampVersions,
  waitForPublishTurn,
} from './queries';
import { ImportFileError } from './reader';

export type { ImportProblem } from './cells';
export type { ImportPlan } from './plan';

/** How long an uploaded file waits between its preview and its import. */
export const UPLOAD_LIFETIME_MS = 60 * 60_000;
/** The largest file the import takes. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** Staged rows per transaction (decisions.md: at most 500, so the embedded database keeps serving). */
export const STAGING_BATCH_SIZE = 500;
/** Staging rows of an import that never published are dropped after this long. */
const STAGING_LIFETIME_MS = 24 * 60 * 60_000;
/** Risk-state rows recomputed per call inside the publish transaction. */
const RISK_REFRESH_CHUNK = 500;

export const IMPORT_JOB = 'import_cleanup';

export async function storeUpload(
  db: Kysely<Database>,
  viewer: Viewer,
  upload: { kind: ImportKind; fileName: string; content: Buffer },
  now: Date,
): Promise<void> {
  await replaceUpload(db, { userId: viewer.userId, ...upload, expiresAt: new Date(now.getTime() + UPLOAD_LIFETIME_MS) });
}

export interface PreviewOutcome {
  kind: 'preview';
  fileName: string;
  plan: ImportPlan;
}

export type PreviewResult =
  PreviewOutcome | { kind: 'noUpload' } | { kind: 'unreadable'; fileName: string; problem: ImportProblem };

/** What importing the person's uploaded file would do: nothing is written (a dry run). */
export async function previewUpload(db: Kysely<Database>, viewer: Viewer, now: Date): Promise<PreviewResult> {
  const upload = await findUpload(db, viewer.userId, now);
  if (!upload) return { kind: 'noUpload' };
  try {
    const plan = await planImport(db, upload.kind, upload.content, upload.mapping, viewer.today, false);
    return { kind: 'preview', fileName: upload.fileName, plan };
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
    return { kind: 'unreadable', fileName: upload.fileName, problem: { line: error.line ?? 0, column: null, code: error.code } };
  }
}

/** Saves the person's choice of field per unknown column; only keys of the upload's kind count. */
export async function saveMapping(
  db: Kysely<Database>,
  viewer: Viewer,
  choices: Record<string, string>,
  now: Date,
): Promise<boolean> {
  const upload = await findUpload(db, viewer.userId, now);
  if (!upload) return false;
  const allowed = new Set([...IMPORT_FIELDS[upload.kind].map((field) => field.key), 'ignore']);
  const mapping: ColumnMapping = { ...(upload.mapping ?? {}) };
  for (const [index, choice] of Object.entries(choices))
    if (/^\d{1,4}$/.test(index) && allowed.has(choice)) mapping[index] = choice;
  return saveUploadMapping(db, viewer.userId, mapping);
}

export async function discardUpload(db: Kysely<Database>, viewer: Viewer): Promise<void> {
  await deleteUpload(db, viewer.userId);
}

export type ImportOutcome =
  | { kind: 'imported'; batchId: number }
  | { kind: 'noUpload' }
  | { kind: 'problems'; result: PreviewResult }
  | { kind: 'changedMeanwhile' };

/** Errors a publish can meet when stored data changed since the plan: a unique, foreign-key or check rule. */
function isDataRace(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === '23503' || code === '23514';
}

/**
 * Imports the person's uploaded file, all or nothing: the plan again (the stored data may have
 * changed since the preview), rows to the staging table 500 per transaction, then one short
 * transaction that publishes them, records what the batch created and changed, audits it and
 * brings the risk state of every participant it touched up to date.
 */
export async function runImport(db: Kysely<Database>, viewer: Viewer, now: Date): Promise<ImportOutcome> {
  const upload = await findUpload(db, viewer.userId, now);
  if (!upload) return { kind: 'noUpload' };
  let plan: ImportPlan;
  try {
    plan = await planImport(db, upload.kind, upload.content, upload.mapping, viewer.today, true);
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
    return {
      kind: 'problems',
      result: {
        kind: 'unreadable',
        fileName: upload.fileName,
        problem: { line: error.line ?? 0, column: null, code: error.code },
      },
    };
  }
  if (plan.problems.length > 0 || plan.unmapped.length > 0 || plan.missing.length > 0 || plan.rows.length === 0) {
    return { kind: 'problems', result: { kind: 'preview', fileName: upload.fileName, plan } };
  }
  const batchId = await insertBatch(db, viewer.userId, upload.kind, upload.fileName, plan.rows.length, now);
  for (let start = 0; start < plan.rows.length; start += STAGING_BATCH_SIZE) {
    await db.transaction().execute((trx) => insertStagingRows(trx, batchId, plan.rows.slice(start, start + STAGING_BATCH_SIZE)));
  }
  try {
    const published = await db.transaction().execute(async (trx) => {
      await waitForPublishTurn(trx);
      const batch = await lockStagingBatch(trx, batchId);
      if (!batch || batch.status !== 'staging') return false;
      if (upload.kind === 'placements') await lockHoursTargets(trx, batchId);
      if ((await countStaleTargets(trx, batchId)) > 0) return false;
      if (upload.kind === 'participants') await publishParticipants(trx, batchId, now);
      else if (upload.kind === 'employers') await publishEmployers(trx, batchId, now);
      else await publishPlacements(trx, batchId, now, viewer.userId);
      await stampVersions(trx, batchId);
      await auditRecords(trx, batchId, viewer.userId, 'create');
      await auditHoursChanges(trx, batchId, viewer.userId, 'publish');
      const counts = { created: plan.counts.create, updated: plan.counts.update, skipped: plan.counts.skip };
      await recordAuditEvent(trx, {
        actorUserId: viewer.userId,
        action: 'import',
        entityType: 'import_batch',
        entityId: batchId,
        details: { kind: upload.kind, rows: plan.rows.length, ...counts },
      });
      const { touched } = await participantIdsOfBatch(trx, batchId);
      for (let start = 0; start < touched.length; start += RISK_REFRESH_CHUNK) {
        await refreshRiskStates(trx, touched.slice(start, start + RISK_REFRESH_CHUNK), now, viewer.timeZone);
      }
      await finishBatch(trx, batchId, counts, now);
      await deleteUpload(trx, viewer.userId);
      return true;
    });
    if (!published) {
      await discardBatch(db, batchId);
      return { kind: 'changedMeanwhile' };
    }
    return { kind: 'imported', batchId };
  } catch (error) {
    await discardBatch(db, batchId);
    if (isDataRace(error)) return { kind: 'changedMeanwhile' };
    throw error;
  }
}

/** A batch that did not publish leaves nothing but its staging rows: those go at once. */
async function discardBatch(db: Kysely<Database>, batchId: number): Promise<void> {
  await db.deleteFrom('import_batches').where('id', '=', batchId).where('status', '=', 'staging').execute();
}

export async function batchesPage(db: Kysely<Database>, page: Page) {
  return listBatches(db, page.limit, page.offset);
}

export async function batchDetail(db: Kysely<Database>, batchId: number) {
  const batch = await findBatch(db, batchId);
  if (!batch) return undefined;
  const records = await countBatchRecords(db, batchId);
  const changed = batch.status === 'published' ? await countChangedRecords(db, batchId) : 0;
  return { ...batch, records: records.map((record) => ({ ...record, n: Number(record.n) })), changed };
}

export type UndoOutcome = { kind: 'undone' } | { kind: 'notFound' } | { kind: 'changed'; changed: number };

/**
 * Undoes a published batch: deletes what it created and puts back what it changed, while none of
 * its records has changed since (a record with a newer version, or one something else now points
 * at — a contact logged, a placement added, a view in the audit log — keeps the batch as it is).
 */
export async function undoBatch(db: Kysely<Database>, viewer: Viewer, batchId: number, now: Date): Promise<UndoOutcome> {
  try {
    return await db.transaction().execute(async (trx): Promise<UndoOutcome> => {
      const batch = await lockPublishedBatch(trx, batchId);
      // A batch that created and changed nothing (every row skipped) has nothing to undo.
      if (!batch || (await countBatchRecords(trx, batchId)).length === 0) return { kind: 'notFound' };
      const changed = await countChangedRecords(trx, batchId);
      if (changed > 0) return { kind: 'changed', changed };
      const { created, touched } = await participantIdsOfBatch(trx, batchId);
      await auditRecords(trx, batchId, viewer.userId, 'restore');
      await auditHoursChanges(trx, batchId, viewer.userId, 'undo');
      await revertBatch(trx, batchId, now);
      await auditRecords(trx, batchId, viewer.userId, 'delete');
      await markUndone(trx, batchId, viewer.userId, now);
      await recordAuditEvent(trx, {
        actorUserId: viewer.userId,
        action: 'undo',
        entityType: 'import_batch',
        entityId: batchId,
        details: { kind: batch.kind },
      });
      const createdIds = new Set(created);
      const remaining = touched.filter((id) => !createdIds.has(id));
      for (let start = 0; start < remaining.length; start += RISK_REFRESH_CHUNK) {
        await refreshRiskStates(trx, remaining.slice(start, start + RISK_REFRESH_CHUNK), now, viewer.timeZone);
      }
      return { kind: 'undone' };
    });
  } catch (error) {
    if ((error as { code?: unknown }).code === '23503') return { kind: 'changed', changed: 1 };
    throw error;
  }
}

/** The cleanup job's work: expired uploads, and staging rows of imports that never published. */
export async function cleanUpImports(db: Kysely<Database>, now: Date): Promise<{ uploads: number; batches: number } | null> {
  return db.transaction().execute(async (trx) => {
    if (!(await tryTakeJobLock(trx, IMPORT_JOB))) return null;
    return deleteExpired(trx, now, new Date(now.getTime() - STAGING_LIFETIME_MS));
  });
}
