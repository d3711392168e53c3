import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { recordAuditEvent } from '../platform/audit/service';
import { FormRejection } from '../lib/errors';
import { createOnce, type SubmissionOutcome } from '../platform/submissions/service';
import {
  commissionerNameTaken,
  countCommissioners,
  countTrajectoriesOfCommissioner,
  findCommissionerById,
  insertCommissioner,
  isActiveCommissioner,
  listActiveCommissioners,
  listCommissioners,
  setCommissionerActive,
  updateCommissionerIfVersion,
  type CommissionerListRow,
  type CommissionerOption,
  type CommissionerRecord,
} from './queries';
import type { CommissionerEditForm, CommissionerInput } from './schemas';
import type { Executor } from '../platform/executor';

export type { CommissionerListRow, CommissionerOption, CommissionerRecord } from './queries';

const NAME_TAKEN = { name: 'commissioners.form.nameTaken' };

/** The unique index on lower(name) catches the race the pre-check cannot: two admins saving the same name. */
function isDuplicateName(error: unknown): boolean {
  const candidate = error as { code?: unknown; constraint?: unknown };
  return candidate.code === '23505' && candidate.constraint === 'commissioners_name_unique';
}

export async function listCommissionersPage(
  db: Kysely<Database>,
  page: { limit: number; offset: number },
): Promise<{ rows: CommissionerListRow[]; total: number }> {
  const [rows, total] = await Promise.all([listCommissioners(db, page), countCommissioners(db)]);
  return { rows, total };
}

export async function findCommissioner(db: Executor, id: number): Promise<CommissionerRecord | undefined> {
  return findCommissionerById(db, id);
}

/** Commissioners a new trajectory may be funded by: the active ones, alphabetical. */
export async function listActiveCommissionerOptions(db: Executor): Promise<CommissionerOption[]> {
  return listActiveCommissioners(db);
}

export async function trajectoryCountOf(db: Executor, id: number): Promise<number> {
  return countTrajectoriesOfCommissioner(db, id);
}

export async function commissionerIsActive(db: Executor, id: number): Promise<boolean> {
  return isActiveCommissioner(db, id);
}

export async function createCommissioner(
  db: Kysely<Database>,
  actorUserId: number,
  input: CommissionerInput,
  submissionToken: string,
  now: Date,
): Promise<SubmissionOutcome<number>> {
  try {
    return await createOnce(db, submissionToken, actorUserId, now, async (trx) => {
      // Checked after the token is claimed, so a double submit lands on the first one's result
      // instead of being told that its own name is taken.
      if (await commissionerNameTaken(trx, input.name, null)) throw new FormRejection(NAME_TAKEN);
      const id = await insertCommissioner(trx, { name: input.name, kind: input.kind }, now);
      await recordAuditEvent(trx, {
        actorUserId,
        action: 'create',
        entityType: 'commissioner',
        entityId: id,
        details: { kind: input.kind },
      });
      return { value: id, path: '/admin/commissioners' };
    });
  } catch (error) {
    if (isDuplicateName(error)) throw new FormRejection(NAME_TAKEN);
    throw error;
  }
}

export type CommissionerUpdateOutcome =
  { kind: 'saved' } | { kind: 'conflict'; current: CommissionerRecord } | { kind: 'notFound' };

export async function updateCommissioner(
  db: Kysely<Database>,
  actorUserId: number,
  id: number,
  form: CommissionerEditForm,
  now: Date,
): Promise<CommissionerUpdateOutcome> {
  const existing = await findCommissionerById(db, id);
  if (!existing) return { kind: 'notFound' };
  if (await commissionerNameTaken(db, form.name, id)) throw new FormRejection(NAME_TAKEN);
  try {
    return await db.transaction().execute(async (trx) => {
      const saved = await updateCommissionerIfVersion(trx, id, form.version, { name: form.name, kind: form.kind }, now);
      if (!saved) {
        const current = await findCommissionerById(trx, id);
        return current ? { kind: 'conflict', current } : { kind: 'notFound' };
      }
      await recordAuditEvent(trx, {
        actorUserId,
        action: 'update',
        entityType: 'commissioner',
        entityId: id,
        details: {
          changed: (['name', 'kind'] as const).filter((field) => existing[field] !== form[field]),
        },
      });
      return { kind: 'saved' };
    });
  } catch (error) {
    if (isDuplicateName(error)) throw new FormRejection(NAME_TAKEN);
    throw error;
  }
}

/**
 * Switches a commissioner off or on for new trajectories. Existing trajectories keep their
 * commissioner either way. Repeating the action (a second click) changes and records nothing.
 */
export async function setCommissionerActiveFlag(
  db: Kysely<Database>,
  actorUserId: number,
  id: number,
  active: boolean,
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (!(await setCommissionerActive(trx, id, active, now))) return;
    await recordAuditEvent(trx, {
      actorUserId,
      action: active ? 'reactivate' : 'deactivate',
      entityType: 'commissioner',
      entityId: id,
    });
  });
}
