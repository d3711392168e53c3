import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import type { Database } from '../db/schema';
import type { Viewer } from '../lib/viewer';
import { recordAuditEvent, recordAuditEvents } from '../platform/audit/service';
import { tryTakeJobLock } from '../platform/jobs';
import { pseudonymOf } from '../reports/service';
import {
  anonymiseAccounts,
  countAccountsToAnonymise,
  countErasablePieces,
  countExpiredAuditEvents,
  countExpiredFiles,
  deleteExpiredAuditEvents,
  ERASERS,
  findErasure,
  findRetentionSettings,
  listExpiredFiles,
  lockAccountsToAnonymise,
  lockErasableParticipant,
  lockExpiredFiles,
  markParticipantsErased,
  updateRetentionSettingsIfVersion,
  type ExpiredFileRow,
  type RetentionSettingsRow,
} from './queries';
import type { RetentionSettingsForm } from './schemas';

export { ERASED_TEXT, type ExpiredFileRow, type RetentionSettingsRow } from './queries';

// Retention (GDPR art. 5(1)(e)) and erasure on request (art. 17). A closed file is kept for the
// months the organisation sets, then erased by the daily job; an administrator can erase one file
// earlier on a justified request. Erased means: names replaced by the participant's export
// pseudonym, contact details, birth date, references and every free text about them gone; the
// counts, minutes, hours, dates and coded values stay, so past reports still add up. The audit log
// is never rewritten: its details hold ids and coded values only (names are looked up when it is
// read). The same job anonymises deactivated staff accounts and removes audit events older than
// the kept period (the trigger of migration 20261208050000 allows exactly that deletion).

/** The job's name, and its lock's. */
export const RETENTION_JOB = 'retention';
/** Rows per transaction: the embedded database serves requests between batches. */
export const RETENTION_BATCH = 500;

export async function retentionSettings(db: Kysely<Database>): Promise<RetentionSettingsRow> {
  return findRetentionSettings(db);
}

/** Whether the administrators still have to say how long closed files are kept (the dashboard's notice). */
export async function closedFilesPeriodMissing(db: Kysely<Database>, viewer: Viewer): Promise<boolean> {
  if (viewer.role !== 'admin') return false;
  return (await findRetentionSettings(db)).closedFilesMonths === null;
}

export type RetentionSaveOutcome = { kind: 'saved' } | { kind: 'conflict'; current: RetentionSettingsRow };

export async function saveRetentionSettings(
  db: Kysely<Database>,
  viewer: Viewer,
  form: RetentionSettingsForm,
  now: Date,
): Promise<RetentionSaveOutcome> {
  return db.transaction().execute(async (trx): Promise<RetentionSaveOutcome> => {
    const before = await findRetentionSettings(trx);
    const columns = {
      closed_files_months: form.closedFilesMonths,
      audit_log_years: form.auditLogYears,
      staff_anonymise_months: form.staffAnonymiseMonths,
    };
    if (!(await updateRetentionSettingsIfVersion(trx, form.version, columns, viewer.userId, now))) {
      return { kind: 'conflict', current: await findRetentionSettings(trx) };
    }
    const changes: Record<string, { from: number | null; to: number | null }> = {};
    for (const field of ['closedFilesMonths', 'auditLogYears', 'staffAnonymiseMonths'] as const) {
      if (before[field] !== form[field]) changes[field] = { from: before[field], to: form[field] };
    }
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'update',
      entityType: 'retention_settings',
      entityId: 1,
      details: { changes },
    });
    return { kind: 'saved' };
  });
}

/** The moments before which things have expired, as of `now`; null where the organisation keeps them. */
export interface RetentionCutoffs {
  /** Files closed before this local day (ISO) have expired. */
  closedBefore: string | null;
  /** Accounts deactivated before this moment are anonymised. */
  deactivatedBefore: Date | null;
  /** Audit events before this moment are removed. */
  auditBefore: Date;
}

export function retentionCutoffs(settings: RetentionSettingsRow, now: DateTime, timeZone: string): RetentionCutoffs {
  const local = now.setZone(timeZone);
  return {
    closedBefore:
      settings.closedFilesMonths === null ? null : local.startOf('day').minus({ months: settings.closedFilesMonths }).toISODate(),
    deactivatedBefore:
      settings.staffAnonymiseMonths === null ? null : local.minus({ months: settings.staffAnonymiseMonths }).toJSDate(),
    auditBefore: local.minus({ years: settings.auditLogYears }).toJSDate(),
  };
}

export interface RetentionDryRun {
  settings: RetentionSettingsRow;
  cutoffs: RetentionCutoffs;
  files: ExpiredFileRow[];
  filesTotal: number;
  accounts: number;
  auditEvents: number;
}

/**
 * What the job would do now, without doing it: the files it would erase (a page of them), and how
 * many accounts and audit events it would anonymise and remove. Shows names, so it is audited.
 */
export async function retentionDryRun(
  db: Kysely<Database>,
  viewer: Viewer | null,
  now: DateTime,
  timeZone: string,
  page: { limit: number; offset: number },
): Promise<RetentionDryRun> {
  const settings = await findRetentionSettings(db);
  const cutoffs = retentionCutoffs(settings, now, timeZone);
  // One after the other: on the embedded database there is one connection to share.
  const { closedBefore, deactivatedBefore } = cutoffs;
  const files = closedBefore === null ? [] : await listExpiredFiles(db, closedBefore, page);
  const filesTotal = closedBefore === null ? 0 : await countExpiredFiles(db, closedBefore);
  const accounts = deactivatedBefore === null ? 0 : await countAccountsToAnonymise(db, deactivatedBefore);
  const auditEvents = await countExpiredAuditEvents(db, cutoffs.auditBefore);
  await recordAuditEvent(db, {
    actorUserId: viewer?.userId ?? null,
    action: 'dry_run',
    entityType: 'retention',
    details: { files: filesTotal, accounts, auditEvents, participantIds: files.map((file) => file.id) },
  });
  return { settings, cutoffs, files, filesTotal, accounts, auditEvents };
}

export interface RetentionRunFigures {
  erasedFiles: number;
  erasedTexts: number;
  anonymisedAccounts: number;
  deletedAuditEvents: number;
}

export type RetentionRunOutcome = RetentionRunFigures & { cutShort: 'locked' | 'stopped' | null };

/**
 * One batch in its own transaction under the job's lock; answers what `work` did, or 'locked'
 * when another process holds the lock (it is doing this work).
 */
async function batch(db: Kysely<Database>, work: (trx: Parameters<typeof tryTakeJobLock>[0]) => Promise<number>) {
  return db.transaction().execute(async (trx) => ((await tryTakeJobLock(trx, RETENTION_JOB)) ? work(trx) : ('locked' as const)));
}

/**
 * The daily job's work (src/retention/jobs.ts): erases the expired files, then the free texts of
 * every erased file still holding some (also what a run cut short left), anonymises the accounts
 * deactivated long enough ago, and removes the audit events older than the kept period. Every step
 * goes in batches of at most RETENTION_BATCH rows, each its own transaction under the job lock.
 */
export async function runRetention(
  db: Kysely<Database>,
  now: DateTime,
  options: { timeZone: string; pseudonymSecret: string },
  signal: AbortSignal,
): Promise<RetentionRunOutcome> {
  const settings = await findRetentionSettings(db);
  const cutoffs = retentionCutoffs(settings, now, options.timeZone);
  const at = now.toJSDate();
  const figures: RetentionRunFigures = { erasedFiles: 0, erasedTexts: 0, anonymisedAccounts: 0, deletedAuditEvents: 0 };
  const steps: Array<{
    figure: keyof RetentionRunFigures;
    work: (trx: Parameters<typeof tryTakeJobLock>[0]) => Promise<number>;
  }> = [];
  const { closedBefore, deactivatedBefore } = cutoffs;
  if (closedBefore !== null) {
    steps.push({
      figure: 'erasedFiles',
      work: async (trx) => {
        const files = await lockExpiredFiles(trx, closedBefore, RETENTION_BATCH);
        await markParticipantsErased(
          trx,
          files.map((file) => ({ id: file.id, pseudonym: pseudonymOf(options.pseudonymSecret, file.id) })),
          { kind: 'retention', erasedBy: null, reason: null },
          at,
        );
        await recordAuditEvents(
          trx,
          files.map((file) => ({
            actorUserId: null,
            action: 'erase',
            entityType: 'participant',
            entityId: file.id,
            participantId: file.id,
            details: { kind: 'retention', closedOn: file.closedOn, keptMonths: settings.closedFilesMonths },
          })),
        );
        return files.length;
      },
    });
  }
  // Always: a file erased on request, or by a run cut short, may still hold text in some table.
  for (const eraser of ERASERS) steps.push({ figure: 'erasedTexts', work: (trx) => eraser.erase(trx, 'all', RETENTION_BATCH) });
  if (deactivatedBefore !== null) {
    steps.push({
      figure: 'anonymisedAccounts',
      work: async (trx) => {
        const ids = await lockAccountsToAnonymise(trx, deactivatedBefore, RETENTION_BATCH);
        await anonymiseAccounts(trx, ids, at);
        await recordAuditEvents(
          trx,
          ids.map((id) => ({
            actorUserId: null,
            action: 'anonymise',
            entityType: 'user',
            entityId: id,
            details: { keptMonths: settings.staffAnonymiseMonths },
          })),
        );
        return ids.length;
      },
    });
  }
  steps.push({
    figure: 'deletedAuditEvents',
    work: (trx) => deleteExpiredAuditEvents(trx, cutoffs.auditBefore, RETENTION_BATCH),
  });

  for (const step of steps) {
    for (;;) {
      if (signal.aborted) return { ...figures, cutShort: 'stopped' };
      const done = await batch(db, step.work);
      if (done === 'locked') return { ...figures, cutShort: 'locked' };
      figures[step.figure] += done;
      if (done < RETENTION_BATCH) break;
    }
  }
  if (figures.deletedAuditEvents > 0) {
    // The removal itself is evidence too: when, how many and up to which moment.
    await recordAuditEvent(db, {
      actorUserId: null,
      action: 'remove_expired',
      entityType: 'audit_log',
      details: { deleted: figures.deletedAuditEvents, keptYears: settings.auditLogYears },
    });
  }
  return { ...figures, cutShort: null };
}

// Erasure on request.

export interface ErasurePreview {
  /** Why the file cannot be erased now, or null. */
  blocker: 'open' | null;
  counts: Awaited<ReturnType<typeof countErasablePieces>>;
}

/** What erasing this participant (already found through the access rule) would remove and keep. */
export async function erasurePreview(
  db: Kysely<Database>,
  viewer: Viewer,
  participant: { id: number; status: string },
): Promise<ErasurePreview | undefined> {
  if (viewer.role !== 'admin') return undefined;
  const counts = await countErasablePieces(db, participant.id);
  await recordAuditEvent(db, {
    actorUserId: viewer.userId,
    action: 'view',
    entityType: 'erasure',
    entityId: participant.id,
    participantId: participant.id,
  });
  return { blocker: participant.status === 'closed' ? null : 'open', counts };
}

export type ErasureOutcome = { kind: 'erased' } | { kind: 'notErasable' };

/**
 * Erases one closed participant's file now, in one transaction: the participant row, then every
 * free text about them (their own rows only, so batches of RETENTION_BATCH until none is left).
 * The reason is kept with the erasure for administrators; the audit event says only that it was a
 * request (the reason is free text).
 */
export async function eraseOnRequest(
  db: Kysely<Database>,
  viewer: Viewer,
  participantId: number,
  reason: string,
  options: { pseudonymSecret: string },
  now: Date,
): Promise<ErasureOutcome> {
  if (viewer.role !== 'admin') return { kind: 'notErasable' };
  return db.transaction().execute(async (trx): Promise<ErasureOutcome> => {
    if (!(await lockErasableParticipant(trx, participantId))) return { kind: 'notErasable' };
    await markParticipantsErased(
      trx,
      [{ id: participantId, pseudonym: pseudonymOf(options.pseudonymSecret, participantId) }],
      { kind: 'request', erasedBy: viewer.userId, reason },
      now,
    );
    for (const eraser of ERASERS) {
      while ((await eraser.erase(trx, [participantId], RETENTION_BATCH)) === RETENTION_BATCH) {
        // A participant with more rows than one batch: the next batch, same transaction.
      }
    }
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'erase',
      entityType: 'participant',
      entityId: participantId,
      participantId,
      details: { kind: 'request' },
    });
    return { kind: 'erased' };
  });
}

export interface ErasureRecord {
  erasedAt: Date;
  kind: 'retention' | 'request';
  reason: string | null;
  erasedByName: string | null;
}

/** How and when a participant's file was erased, or undefined when it was not. */
export async function erasureOf(db: Kysely<Database>, participantId: number): Promise<ErasureRecord | undefined> {
  return findErasure(db, participantId);
}
