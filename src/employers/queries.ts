import { sql } from 'kysely';
import { participantVisibleTo } from '../db/access';
import type { EmployerContactRole, EmployerSector, PlacementKind, PlacementStatus } from '../db/schema';
import type { Viewer } from '../lib/viewer';
import type { EmployerListQuery } from './schemas';
import type { Executor } from '../platform/executor';
import { containing } from '../db/like';

/** Placements that still run (ended ones are history): what "current placements" means here. */
const CURRENT_PLACEMENT_STATUSES: PlacementStatus[] = ['active', 'paused'];

export interface EmployerListRow {
  id: number;
  name: string;
  sector: EmployerSector;
  city: string | null;
  currentPlacements: number;
}

function listBase(db: Executor, filters: EmployerListQuery) {
  let query = db.selectFrom('employers');
  if (filters.q) {
    const pattern = containing(filters.q.toLowerCase());
    query = query.where((eb) =>
      eb.or([eb(sql<string>`lower(employers.name)`, 'like', pattern), eb(sql<string>`lower(employers.city)`, 'like', pattern)]),
    );
  }
  if (filters.sector) query = query.where('employers.sector', '=', filters.sector);
  return query;
}

export async function listEmployers(
  db: Executor,
  filters: EmployerListQuery,
  page: { limit: number; offset: number },
): Promise<EmployerListRow[]> {
  const rows = await listBase(db, filters)
    .select((eb) => [
      'employers.id',
      'employers.name',
      'employers.sector',
      'employers.city',
      // A correlated count (served by placements_employer) keeps this one query for the whole page.
      eb
        .selectFrom('placements')
        .whereRef('placements.employer_id', '=', 'employers.id')
        .where('placements.status', 'in', CURRENT_PLACEMENT_STATUSES)
        .select((sub) => sub.fn.countAll<string>().as('n'))
        .as('currentPlacements'),
    ])
    .orderBy(sql`lower(employers.name)`)
    .orderBy('employers.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return rows.map((row) => ({ ...row, currentPlacements: Number(row.currentPlacements ?? 0) }));
}

export async function countEmployers(db: Executor, filters: EmployerListQuery): Promise<number> {
  const row = await listBase(db, filters)
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function countAllEmployers(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('employers')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export interface EmployerRecord {
  id: number;
  name: string;
  sector: EmployerSector;
  addressLine: string | null;
  postalCode: string | null;
  city: string | null;
  phone: string | null;
  notes: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export async function findEmployer(db: Executor, id: number): Promise<EmployerRecord | undefined> {
  return db
    .selectFrom('employers')
    .where('id', '=', id)
    .select([
      'id',
      'name',
      'sector',
      'address_line as addressLine',
      'postal_code as postalCode',
      'city',
      'phone',
      'notes',
      'version',
      'created_at as createdAt',
      'updated_at as updatedAt',
    ])
    .executeTakeFirst();
}

export interface EmployerColumns {
  name: string;
  sector: EmployerSector;
  address_line: string | null;
  postal_code: string | null;
  city: string | null;
  phone: string | null;
  notes: string | null;
}

export async function insertEmployer(trx: Executor, values: EmployerColumns, now: Date): Promise<number> {
  const row = await trx
    .insertInto('employers')
    .values({ ...values, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Updates only when the row still has `expectedVersion`; returns whether it did. */
export async function updateEmployerIfVersion(
  trx: Executor,
  id: number,
  expectedVersion: number,
  values: EmployerColumns,
  now: Date,
): Promise<boolean> {
  const result = await trx
    .updateTable('employers')
    .set((eb) => ({ ...values, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface ContactRecord {
  id: number;
  employerId: number;
  name: string;
  role: EmployerContactRole;
  jobTitle: string | null;
  phone: string | null;
  email: string | null;
  version: number;
}

const contactSelection = [
  'employer_contacts.id',
  'employer_contacts.employer_id as employerId',
  'employer_contacts.name',
  'employer_contacts.role',
  'employer_contacts.job_title as jobTitle',
  'employer_contacts.phone',
  'employer_contacts.email',
  'employer_contacts.version',
] as const;

export async function listContactsOfEmployer(db: Executor, employerId: number): Promise<ContactRecord[]> {
  return db
    .selectFrom('employer_contacts')
    .where('employer_contacts.employer_id', '=', employerId)
    .select(contactSelection)
    .orderBy(sql`case employer_contacts.role when 'supervisor' then 0 when 'hr' then 1 else 2 end`)
    .orderBy(sql`lower(employer_contacts.name)`)
    .orderBy('employer_contacts.id')
    .execute();
}

/** A contact, only when it belongs to that employer. */
export async function findContactOfEmployer(
  db: Executor,
  employerId: number,
  contactId: number,
): Promise<ContactRecord | undefined> {
  return db
    .selectFrom('employer_contacts')
    .where('employer_contacts.id', '=', contactId)
    .where('employer_contacts.employer_id', '=', employerId)
    .select(contactSelection)
    .executeTakeFirst();
}

export interface ContactColumns {
  name: string;
  role: EmployerContactRole;
  job_title: string | null;
  phone: string | null;
  email: string | null;
}

export async function insertContact(trx: Executor, employerId: number, values: ContactColumns, now: Date): Promise<number> {
  const row = await trx
    .insertInto('employer_contacts')
    .values({ ...values, employer_id: employerId, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateContactIfVersion(
  trx: Executor,
  employerId: number,
  contactId: number,
  expectedVersion: number,
  values: ContactColumns,
  now: Date,
): Promise<boolean> {
  const result = await trx
    .updateTable('employer_contacts')
    .set((eb) => ({ ...values, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', contactId)
    .where('employer_id', '=', employerId)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface CurrentPlacementRow {
  id: number;
  participantId: number;
  participantFirstName: string;
  participantLastName: string;
  jobTitle: string;
  kind: PlacementKind;
  status: PlacementStatus;
  startDate: string;
}

/** Current placements at an employer whose participant the viewer may see. */
export async function listVisibleCurrentPlacements(
  db: Executor,
  viewer: Viewer,
  employerId: number,
): Promise<CurrentPlacementRow[]> {
  return db
    .selectFrom('placements')
    .innerJoin('participants', 'participants.id', 'placements.participant_id')
    .where('placements.employer_id', '=', employerId)
    .where('placements.status', 'in', CURRENT_PLACEMENT_STATUSES)
    .where(participantVisibleTo(viewer))
    .select([
      'placements.id',
      'placements.participant_id as participantId',
      'participants.first_name as participantFirstName',
      'participants.last_name as participantLastName',
      'placements.job_title as jobTitle',
      'placements.kind',
      'placements.status',
      'placements.start_date as startDate',
    ])
    .orderBy(sql`lower(participants.last_name)`)
    .orderBy(sql`lower(participants.first_name)`)
    .orderBy('placements.id')
    .execute();
}

/**
 * How many current placements at an employer belong to participants the viewer may NOT see: a
 * count only, so the profile can say they exist without naming anyone outside the caseload.
 */
export async function countHiddenCurrentPlacements(db: Executor, viewer: Viewer, employerId: number): Promise<number> {
  const row = await db
    .selectFrom('placements')
    .innerJoin('participants', 'participants.id', 'placements.participant_id')
    .where('placements.employer_id', '=', employerId)
    .where('placements.status', 'in', CURRENT_PLACEMENT_STATUSES)
    .where((eb) => eb.not(participantVisibleTo(viewer)(eb)))
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function listEmployerOptionRows(db: Executor): Promise<Array<{ id: number; name: string; city: string | null }>> {
  return db
    .selectFrom('employers')
    .select(['id', 'name', 'city'])
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .execute();
}

export async function listContactOptionRows(
  db: Executor,
): Promise<Array<{ id: number; employerId: number; employerName: string; name: string; role: EmployerContactRole }>> {
  return db
    .selectFrom('employer_contacts')
    .innerJoin('employers', 'employers.id', 'employer_contacts.employer_id')
    .select([
      'employer_contacts.id',
      'employer_contacts.employer_id as employerId',
      'employers.name as employerName',
      'employer_contacts.name',
      'employer_contacts.role',
    ])
    .orderBy(sql`lower(employers.name)`)
    .orderBy('employers.id')
    .orderBy(sql`lower(employer_contacts.name)`)
    .orderBy('employer_contacts.id')
    .execute();
}

export async function contactExistsForEmployer(db: Executor, contactId: number, employerId: number): Promise<boolean> {
  const row = await db
    .selectFrom('employer_contacts')
    .where('id', '=', contactId)
    .where('employer_id', '=', employerId)
    .select('id')
    .executeTakeFirst();
  return row !== undefined;
}
