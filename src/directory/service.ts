import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { FormRejection } from '../lib/errors';
import type { Viewer } from '../lib/viewer';
import { recordAuditEvent } from '../platform/audit/service';
import type { Executor } from '../platform/executor';
import { createOnce, type SubmissionOutcome } from '../platform/submissions/service';
import {
  countOrganisations,
  findOrganisation as findOrganisationRow,
  findOrganisationByName,
  insertOrganisation,
  listOrganisationOptions,
  listOrganisations,
  updateOrganisationIfVersion,
  type OrganisationColumns,
  type OrganisationOption,
  type OrganisationRecord,
} from './queries';
import type { DirectoryListQuery, OrganisationEditForm, OrganisationInput } from './schemas';

export type { OrganisationOption, OrganisationRecord } from './queries';
export type { OrganisationInput } from './schemas';

// The referral directory is shared by the whole organisation, like employers. Who may do what
// (README "Referral directory"): every role reads it and adds to it — a coach meets a new service
// in the middle of a referral and must not wait for anyone — while only managers and
// administrators edit an entry, because a change of name, kind or phone changes every referral
// that points to it, in every team. The routes say so; updateOrganisation checks it again.

/** How many organisations a referral form offers in its list (the directory page shows them all, paginated). */
export const ORGANISATION_OPTIONS_LIMIT = 1000;

export async function listPage(
  db: Kysely<Database>,
  filters: DirectoryListQuery,
  page: { limit: number; offset: number },
): Promise<{ rows: Array<OrganisationRecord & { referrals: number }>; total: number }> {
  const [rows, total] = await Promise.all([listOrganisations(db, filters, page), countOrganisations(db, filters)]);
  return { rows, total };
}

export async function organisationOptions(db: Kysely<Database>): Promise<OrganisationOption[]> {
  return listOrganisationOptions(db, ORGANISATION_OPTIONS_LIMIT);
}

export async function findOrganisation(db: Kysely<Database>, id: number): Promise<OrganisationRecord | undefined> {
  return findOrganisationRow(db, id);
}

export function mayEditOrganisations(viewer: Pick<Viewer, 'role'>): boolean {
  return viewer.role === 'manager' || viewer.role === 'admin';
}

function columnsOf(input: OrganisationInput): OrganisationColumns {
  return { name: input.name, kind: input.kind, region: input.region, phone: input.phone, email: input.email };
}

/** The same name twice (however spaced or capitalised) is one organisation: the form says so. */
async function refuseDuplicateName(db: Executor, name: string, exceptId: number | null, field: string): Promise<void> {
  if (await findOrganisationByName(db, name, exceptId)) throw new FormRejection({ [field]: 'directory.form.duplicateName' });
}

/**
 * Adds an organisation inside the caller's transaction (the directory page, or a referral form
 * that adds one in place) and audits it. A name already in the directory is refused with a
 * message on `nameField`; the unique index is the last word if two people add it at once.
 */
export async function addOrganisation(
  trx: Executor,
  viewer: Viewer,
  input: OrganisationInput,
  now: Date,
  nameField = 'name',
): Promise<number> {
  await refuseDuplicateName(trx, input.name, null, nameField);
  const columns = columnsOf(input);
  const id = await insertOrganisation(trx, columns, viewer.userId, now);
  await recordAuditEvent(trx, {
    actorUserId: viewer.userId,
    action: 'create',
    entityType: 'referral_organisation',
    entityId: id,
    details: { kind: columns.kind },
  });
  return id;
}

/**
 * An organisation added in place from a referral form, inside the referral's transaction: a name
 * already in the directory (however spaced or capitalised) links to that entry instead of
 * refusing the referral, as the migration deduplicated the old free-text names.
 */
export async function findOrAddOrganisation(trx: Executor, viewer: Viewer, input: OrganisationInput, now: Date): Promise<number> {
  const existing = await findOrganisationByName(trx, input.name);
  return existing ? existing.id : addOrganisation(trx, viewer, input, now);
}

export async function createOrganisation(
  db: Kysely<Database>,
  viewer: Viewer,
  input: OrganisationInput,
  submissionToken: string,
  now: Date,
): Promise<SubmissionOutcome<number>> {
  return createOnce(db, submissionToken, viewer.userId, now, async (trx) => {
    const id = await addOrganisation(trx, viewer, input, now);
    // The list filtered to the new name, so it is in sight whatever page it falls on.
    return { value: id, path: `/directory?q=${encodeURIComponent(input.name.trim().replace(/\s+/g, ' '))}#organisation-${id}` };
  });
}

export type OrganisationChangeOutcome =
  { kind: 'saved' } | { kind: 'conflict'; current: OrganisationRecord } | { kind: 'notFound' };

export async function updateOrganisation(
  db: Kysely<Database>,
  viewer: Viewer,
  id: number,
  form: OrganisationEditForm,
  now: Date,
): Promise<OrganisationChangeOutcome> {
  if (!mayEditOrganisations(viewer)) return { kind: 'notFound' };
  const columns = columnsOf(form);
  const outcome = await db.transaction().execute(async (trx): Promise<OrganisationChangeOutcome | null> => {
    const before = await findOrganisationRow(trx, id);
    if (!before) return { kind: 'notFound' };
    await refuseDuplicateName(trx, columns.name, id, 'name');
    if (!(await updateOrganisationIfVersion(trx, id, form.version, columns, now))) return null;
    const changedFields = (Object.keys(columns) as Array<keyof OrganisationColumns>).filter(
      (field) => before[field] !== columns[field],
    );
    // Ids and codes only: the kind's change is a code; names and numbers are named, not quoted.
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'update',
      entityType: 'referral_organisation',
      entityId: id,
      details: { changedFields, ...(before.kind !== columns.kind ? { kind: { from: before.kind, to: columns.kind } } : {}) },
    });
    return { kind: 'saved' };
  });
  if (outcome) return outcome;
  const current = await findOrganisationRow(db, id);
  return current ? { kind: 'conflict', current } : { kind: 'notFound' };
}
