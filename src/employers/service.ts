import type { Kysely } from 'kysely';
import type { Database, EmployerContactRole } from '../db/schema';
import { recordAuditEvent } from '../platform/audit/service';
import type { Viewer } from '../lib/viewer';
import { createOnce, type SubmissionOutcome } from '../platform/submissions/service';
import {
  contactExistsForEmployer,
  countAllEmployers,
  countEmployers,
  countHiddenCurrentPlacements,
  findContactOfEmployer,
  findEmployer as findEmployerRow,
  insertContact,
  insertEmployer,
  listContactOptionRows,
  listContactsOfEmployer,
  listEmployerOptionRows,
  listEmployers,
  listVisibleCurrentPlacements,
  updateContactIfVersion,
  updateEmployerIfVersion,
  type ContactColumns,
  type ContactRecord,
  type CurrentPlacementRow,
  type EmployerColumns,
  type EmployerListRow,
  type EmployerRecord,
} from './queries';
import type { ContactEditForm, ContactInput, EmployerEditForm, EmployerInput, EmployerListQuery } from './schemas';

export type { ContactRecord, CurrentPlacementRow, EmployerListRow, EmployerRecord } from './queries';

// Employers and their contact persons are shared by the whole organisation: every signed-in role
// reads and edits them. Only the placements shown on a profile depend on who is looking.

export async function listPage(
  db: Kysely<Database>,
  filters: EmployerListQuery,
  page: { limit: number; offset: number },
): Promise<{ rows: EmployerListRow[]; total: number; anyEmployers: boolean }> {
  const [rows, total] = await Promise.all([listEmployers(db, filters, page), countEmployers(db, filters)]);
  // Only when nothing matched is it worth asking whether there is anything at all (for the empty state).
  const anyEmployers = total > 0 || (await countAllEmployers(db)) > 0;
  return { rows, total, anyEmployers };
}

export async function findEmployer(db: Kysely<Database>, id: number): Promise<EmployerRecord | undefined> {
  return findEmployerRow(db, id);
}

export interface EmployerProfile {
  employer: EmployerRecord;
  contacts: ContactRecord[];
  /** Current placements of participants the viewer may see. */
  placements: CurrentPlacementRow[];
  /** Current placements of participants outside the viewer's reach: counted, never named. */
  hiddenPlacements: number;
}

export async function employerProfile(db: Kysely<Database>, viewer: Viewer, id: number): Promise<EmployerProfile | undefined> {
  const employer = await findEmployerRow(db, id);
  if (!employer) return undefined;
  const [contacts, placements, hiddenPlacements] = await Promise.all([
    listContactsOfEmployer(db, id),
    listVisibleCurrentPlacements(db, viewer, id),
    countHiddenCurrentPlacements(db, viewer, id),
  ]);
  return { employer, contacts, placements, hiddenPlacements };
}

function employerColumnsOf(input: EmployerInput): EmployerColumns {
  return {
    name: input.name,
    sector: input.sector,
    address_line: input.addressLine,
    postal_code: input.postalCode,
    city: input.city,
    phone: input.phone,
    notes: input.notes,
  };
}

export async function createEmployer(
  db: Kysely<Database>,
  viewer: Viewer,
  input: EmployerInput,
  submissionToken: string,
  now: Date,
): Promise<SubmissionOutcome<number>> {
  return createOnce(db, submissionToken, viewer.userId, now, async (trx) => {
    const id = await insertEmployer(trx, employerColumnsOf(input), now);
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'create',
      entityType: 'employer',
      entityId: id,
    });
    return { value: id, path: `/employers/${id}` };
  });
}

export type UpdateOutcome<T> = { kind: 'saved' } | { kind: 'conflict'; current: T } | { kind: 'notFound' };

export async function updateEmployer(
  db: Kysely<Database>,
  viewer: Viewer,
  id: number,
  form: EmployerEditForm,
  now: Date,
): Promise<UpdateOutcome<EmployerRecord>> {
  return db.transaction().execute(async (trx) => {
    const saved = await updateEmployerIfVersion(trx, id, form.version, employerColumnsOf(form), now);
    if (!saved) {
      const current = await findEmployerRow(trx, id);
      return current ? { kind: 'conflict', current } : { kind: 'notFound' };
    }
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'update',
      entityType: 'employer',
      entityId: id,
    });
    return { kind: 'saved' };
  });
}

export async function findContact(
  db: Kysely<Database>,
  employerId: number,
  contactId: number,
): Promise<ContactRecord | undefined> {
  return findContactOfEmployer(db, employerId, contactId);
}

function contactColumnsOf(input: ContactInput): ContactColumns {
  return {
    name: input.name,
    role: input.role,
    job_title: input.jobTitle,
    phone: input.phone,
    email: input.email,
  };
}

export async function createContact(
  db: Kysely<Database>,
  viewer: Viewer,
  employerId: number,
  input: ContactInput,
  submissionToken: string,
  now: Date,
): Promise<SubmissionOutcome<number>> {
  return createOnce(db, submissionToken, viewer.userId, now, async (trx) => {
    const id = await insertContact(trx, employerId, contactColumnsOf(input), now);
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'create',
      entityType: 'employer_contact',
      entityId: id,
      details: { employerId },
    });
    return { value: id, path: `/employers/${employerId}` };
  });
}

export async function updateContact(
  db: Kysely<Database>,
  viewer: Viewer,
  employerId: number,
  contactId: number,
  form: ContactEditForm,
  now: Date,
): Promise<UpdateOutcome<ContactRecord>> {
  return db.transaction().execute(async (trx) => {
    const saved = await updateContactIfVersion(trx, employerId, contactId, form.version, contactColumnsOf(form), now);
    if (!saved) {
      const current = await findContactOfEmployer(trx, employerId, contactId);
      return current ? { kind: 'conflict', current } : { kind: 'notFound' };
    }
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'update',
      entityType: 'employer_contact',
      entityId: contactId,
      details: { employerId },
    });
    return { kind: 'saved' };
  });
}

// For the placements feature: choosing an employer and a supervisor on a placement form.

/** Every employer, ordered by name. */
export async function listEmployerOptions(
  db: Kysely<Database>,
): Promise<Array<{ id: number; name: string; city: string | null }>> {
  return listEmployerOptionRows(db);
}

/** Every contact person, ordered by employer name, then contact name. */
export async function listContactOptions(
  db: Kysely<Database>,
): Promise<Array<{ id: number; employerId: number; employerName: string; name: string; role: EmployerContactRole }>> {
  return listContactOptionRows(db);
}

/** Whether a contact person works at that employer (a placement's supervisor must). */
export async function contactBelongsToEmployer(db: Kysely<Database>, contactId: number, employerId: number): Promise<boolean> {
  return contactExistsForEmployer(db, contactId, employerId);
}
